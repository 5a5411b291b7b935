//! Money and date formatting shared by charts, PDFs and the web layer.

use time::Date;

/// Formats an amount in cents as US dollars: `123456` → `"$1,234.56"`, `-5` → `"-$0.05"`.
///
/// Works for the whole `i64` range (no overflow on `i64::MIN`).
pub fn fmt_money(cents: i64) -> String {
    let abs = cents.unsigned_abs();
    let dollars = abs / 100;
    let rest = abs % 100;
    let mut out = String::with_capacity(16);
    if cents < 0 {
        out.push('-');
    }
    out.push('$');
    out.push_str(&group_thousands(dollars));
    out.push('.');
    if rest < 10 {
        out.push('0');
    }
    out.push_str(&rest.to_string());
    out
}

/// A balance: what is owed as `"$1,234.56"`, a credit held for the
/// customer as `"$101.78 credit"` (never a bare minus sign on a balance).
pub fn fmt_balance(cents: i64) -> String {
    let m = fmt_money(cents);
    match m.strip_prefix('-') {
        Some(abs) => format!("{abs} credit"),
        None => m,
    }
}

/// A ledger movement with its sign always written: `"+$150.00"` adds to
/// what is owed (a charge, a draw), `"-$497.98"` takes from it (a payment,
/// a credit). The same convention as the CSV, the statement PDF and the API.
pub fn fmt_signed(cents: i64) -> String {
    if cents > 0 { format!("+{}", fmt_money(cents)) } else { fmt_money(cents) }
}

/// A machine-readable amount for CSV and the API: `"-497.98"`, `"1180.00"`
/// (no currency sign, no thousands separator, always two decimals).
pub fn fmt_plain(cents: i64) -> String {
    let abs = cents.unsigned_abs();
    format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, abs / 100, abs % 100)
}

/// `1234567` → `"1,234,567"`.
pub(crate) fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Formats a date the way US business letters do: `"November 24, 2026"`.
pub fn fmt_date(date: Date) -> String {
    format!("{} {}, {}", date.month(), date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn balances_signs_and_plain() {
        assert_eq!(fmt_balance(10_178), "$101.78");
        assert_eq!(fmt_balance(-10_178), "$101.78 credit");
        assert_eq!(fmt_balance(0), "$0.00");
        assert_eq!(fmt_signed(15_000), "+$150.00");
        assert_eq!(fmt_signed(-49_798), "-$497.98");
        assert_eq!(fmt_signed(0), "$0.00");
        assert_eq!(fmt_plain(118_000), "1180.00");
        assert_eq!(fmt_plain(-49_798), "-497.98");
        assert_eq!(fmt_plain(5), "0.05");
        assert_eq!(fmt_plain(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn money() {
        assert_eq!(fmt_money(0), "$0.00");
        assert_eq!(fmt_money(5), "$0.05");
        assert_eq!(fmt_money(-5), "-$0.05");
        assert_eq!(fmt_money(123_456), "$1,234.56");
        assert_eq!(fmt_money(-123_456), "-$1,234.56");
        assert_eq!(fmt_money(100_000_000), "$1,000,000.00");
        assert_eq!(fmt_money(99_999), "$999.99");
        assert_eq!(fmt_money(i64::MIN), "-$92,233,720,368,547,758.08");
        assert_eq!(fmt_money(i64::MAX), "$92,233,720,368,547,758.07");
    }

    #[test]
    fn dates() {
        assert_eq!(fmt_date(date!(2026 - 11 - 24)), "November 24, 2026");
        assert_eq!(fmt_date(date!(2026 - 03 - 01)), "March 1, 2026");
    }
}
