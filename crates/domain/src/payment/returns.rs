//! ACH returns: the reason codes and a parser of the return reports a bank
//! sends back.
//!
//! [`parse_returns`] accepts either
//!
//! * a **NACHA return file**: entry detail records ("6") each followed by a
//!   return addenda record ("7", addenda type `99`) that carries the return
//!   reason code, the original entry's trace number, a date of death (R14/R15)
//!   and the original receiving DFI. File/batch header and control records and
//!   `9999…` filler lines are accepted and skipped (the batch header's
//!   effective entry date becomes [`Return::date`]). Notification-of-change
//!   addenda (type `98`) are not returns: such an entry is skipped. Lines
//!   shorter than 94 characters are read as if padded with spaces (trailing
//!   spaces are often lost when a file is copied or mailed); longer ones are
//!   an error. Or
//! * a **CSV** report `trace_number,return_code[,date]`, one return per line,
//!   with an optional header row (a first line whose first field is not a
//!   number). Fields may be surrounded by spaces or double quotes; the date is
//!   `YYYY-MM-DD` or `MM/DD/YYYY`.
//!
//! The format is told by the first non-blank line: 80 characters or more,
//! no comma and starting with `1`, `5` or `6` is NACHA; anything else is CSV.
//! Blank lines are skipped in both. Any problem stops the parse with the
//! 1-based line number and a sentence saying what is wrong. The parser never
//! panics, whatever bytes it is given.

use std::fmt;

use time::{Date, Month};

/// A return reason code `R01`–`R99`. The common ones have a name and a
/// description a customer understands ([`ReturnCode::description`]); others
/// are kept with a generic description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReturnCode(u8);

/// The common return reason codes: number, NACHA title, what we tell the
/// customer.
const CODES: &[(u8, &str, &str)] = &[
    (1, "Insufficient funds", "Your bank returned the payment because there wasn't enough money in the account."),
    (2, "Account closed", "Your bank says this account is closed."),
    (3, "No account/unable to locate account", "Your bank couldn't find an account with this number and name."),
    (4, "Invalid account number", "The account number isn't valid at your bank."),
    (
        5,
        "Unauthorized debit to consumer account using corporate SEC code",
        "Your bank returned the payment because this is a personal account and the debit was set up as a business one.",
    ),
    (6, "Returned per ODFI's request", "The payment was returned at our bank's request."),
    (
        7,
        "Authorization revoked by customer",
        "You told your bank you had withdrawn your permission for these payments.",
    ),
    (8, "Payment stopped", "A stop payment was placed on this payment at your bank."),
    (9, "Uncollected funds", "Your bank returned the payment because the money in the account wasn't available yet."),
    (10, "Customer advises not authorized", "You told your bank that you didn't authorize this payment."),
    (
        11,
        "Customer advises entry not in accordance with the terms of the authorization",
        "You told your bank this payment didn't match what you authorized, for example its amount or date.",
    ),
    (12, "Account sold to another DFI", "Your account has moved to another bank."),
    (13, "Invalid ACH routing number", "The routing number doesn't belong to a bank that accepts these payments."),
    (14, "Representative payee deceased", "Your bank reported that the account's representative payee has died."),
    (15, "Beneficiary or account holder deceased", "Your bank reported that the account holder has died."),
    (16, "Account frozen", "Your bank has frozen this account."),
    (17, "File record edit criteria", "Your bank couldn't process the payment with the account details we have."),
    (
        20,
        "Non-transaction account",
        "This account doesn't allow electronic payments (some savings and money market accounts don't).",
    ),
    (23, "Credit entry refused by receiver", "The refund was refused by the receiving account."),
    (24, "Duplicate entry", "Your bank returned the payment as a duplicate of another one."),
    (
        29,
        "Corporate customer advises not authorized",
        "The account holder told their bank this payment wasn't authorized.",
    ),
    (31, "Permissible return entry", "The payment was returned with our agreement."),
];

impl ReturnCode {
    /// R01, insufficient funds.
    pub const INSUFFICIENT_FUNDS: ReturnCode = ReturnCode(1);
    /// R02, account closed.
    pub const ACCOUNT_CLOSED: ReturnCode = ReturnCode(2);
    /// R03, no account / unable to locate account.
    pub const NO_ACCOUNT: ReturnCode = ReturnCode(3);
    /// R04, invalid account number.
    pub const INVALID_ACCOUNT_NUMBER: ReturnCode = ReturnCode(4);
    /// R08, payment stopped.
    pub const PAYMENT_STOPPED: ReturnCode = ReturnCode(8);
    /// R09, uncollected funds.
    pub const UNCOLLECTED_FUNDS: ReturnCode = ReturnCode(9);
    /// R10, customer advises not authorized.
    pub const NOT_AUTHORIZED: ReturnCode = ReturnCode(10);
    /// R16, account frozen.
    pub const ACCOUNT_FROZEN: ReturnCode = ReturnCode(16);
    /// R20, non-transaction account.
    pub const NON_TRANSACTION_ACCOUNT: ReturnCode = ReturnCode(20);

    /// Parses `R01`…`R99` (case-insensitive, surrounding spaces ignored).
    pub fn parse(input: &str) -> Option<ReturnCode> {
        let s = input.trim().as_bytes();
        match s {
            [r, a, b] if r.eq_ignore_ascii_case(&b'R') && a.is_ascii_digit() && b.is_ascii_digit() => {
                let n = (a - b'0') * 10 + (b - b'0');
                (n > 0).then_some(ReturnCode(n))
            }
            _ => None,
        }
    }

    /// The number, 1–99.
    pub fn number(self) -> u8 {
        self.0
    }

    /// `"R01"` …
    pub fn as_code(self) -> String {
        format!("R{:02}", self.0)
    }

    fn entry(self) -> Option<&'static (u8, &'static str, &'static str)> {
        CODES.iter().find(|(n, _, _)| *n == self.0)
    }

    /// Whether this is one of the common codes of the table.
    pub fn is_known(self) -> bool {
        self.entry().is_some()
    }

    /// The NACHA title, e.g. "Insufficient funds"; "Other return" for codes
    /// not in the table.
    pub fn title(self) -> &'static str {
        self.entry().map_or("Other return", |e| e.1)
    }

    /// What happened, in words a customer understands.
    pub fn description(self) -> &'static str {
        self.entry().map_or("Your bank returned the payment.", |e| e.2)
    }

    /// NACHA lets a debit returned R01 or R09 be presented again (at most
    /// twice, within 180 days), with the description `RETRY PMT`.
    pub fn may_retry(self) -> bool {
        matches!(self.0, 1 | 9)
    }

    /// The account must not be debited again until the customer gives new
    /// details or a new authorization: the account is gone, wrong or frozen,
    /// or the customer disputes the authorization.
    pub fn blocks_account(self) -> bool {
        matches!(self.0, 2 | 3 | 4 | 5 | 7 | 10 | 12 | 13 | 14 | 15 | 16 | 20 | 29)
    }
}

impl fmt::Display for ReturnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R{:02}", self.0)
    }
}

/// One returned entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    /// The line of the return addenda (NACHA) or of the CSV row.
    pub line: usize,
    /// The trace number of our original entry (15 digits).
    pub original_trace: String,
    /// Why it was returned.
    pub code: ReturnCode,
    /// The CSV's date column; for NACHA, the return batch's effective entry
    /// date.
    pub date: Option<Date>,
    /// NACHA only: the date of death of R14/R15 returns.
    pub date_of_death: Option<Date>,
    /// NACHA only: the amount, in cents.
    pub amount_cents: Option<i64>,
    /// NACHA only: the individual identification (our payment reference).
    pub individual_id: Option<String>,
    /// NACHA only: the original receiving DFI identification (8 digits).
    pub original_rdfi: Option<String>,
    /// NACHA only: the addenda information, if any.
    pub addenda_information: Option<String>,
}

/// Why [`parse_returns`] stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

fn fail<T>(line: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError { line, message: message.into() })
}

/// Parses a bank's returns report; see the module documentation for the two
/// formats. An input with no returns (empty, or only headers) gives an empty
/// list.
pub fn parse_returns(text: &str) -> Result<Vec<Return>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let Some((_, first)) = lines.first() else {
        return Ok(Vec::new());
    };
    if first.chars().count() >= 80 && !first.contains(',') && first.starts_with(['1', '5', '6']) {
        parse_nacha(&lines)
    } else {
        parse_csv(&lines)
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `YYMMDD`, years 70–99 read as 19xx and 00–69 as 20xx.
fn yymmdd(s: &str) -> Option<Date> {
    if s.len() != 6 || !is_digits(s) {
        return None;
    }
    let yy: i32 = s.get(0..2)?.parse().ok()?;
    let mm: u8 = s.get(2..4)?.parse().ok()?;
    let dd: u8 = s.get(4..6)?.parse().ok()?;
    let year = if yy >= 70 { 1900 + yy } else { 2000 + yy };
    Date::from_calendar_date(year, Month::try_from(mm).ok()?, dd).ok()
}

/// An entry detail record waiting for its addenda.
struct Pending {
    line: usize,
    amount: i64,
    individual_id: String,
}

fn parse_nacha(lines: &[(usize, &str)]) -> Result<Vec<Return>, ParseError> {
    let mut out = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut batch_date: Option<Date> = None;
    for &(n, raw) in lines {
        if !raw.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return fail(n, "the line has characters that aren't allowed in a NACHA file (only plain ASCII is)");
        }
        if raw.len() > 94 {
            return fail(n, format!("the record is {} characters long; NACHA records are 94", raw.len()));
        }
        let record = format!("{raw:<94}");
        // 1-based inclusive positions, as in the NACHA spec; `record` is
        // ASCII and 94 bytes, so these slices always exist.
        let f = |from: usize, to: usize| record.get(from - 1..to).unwrap_or_default();
        if record.bytes().all(|b| b == b'9') {
            continue;
        }
        match f(1, 1) {
            "1" | "8" | "9" => {
                if let Some(p) = pending.take() {
                    return fail(p.line, "this entry has no return addenda record (type 7, addenda type 99) after it");
                }
            }
            "5" => {
                if let Some(p) = pending.take() {
                    return fail(p.line, "this entry has no return addenda record (type 7, addenda type 99) after it");
                }
                batch_date = yymmdd(f(70, 75));
            }
            "6" => {
                if let Some(p) = pending.take() {
                    return fail(p.line, "this entry has no return addenda record (type 7, addenda type 99) after it");
                }
                if !is_digits(f(2, 3)) {
                    return fail(n, format!("the transaction code '{}' isn't 2 digits", f(2, 3)));
                }
                let Some(amount) = is_digits(f(30, 39)).then(|| f(30, 39).parse::<i64>().ok()).flatten() else {
                    return fail(n, format!("the amount '{}' (positions 30–39) isn't 10 digits", f(30, 39)));
                };
                pending = Some(Pending { line: n, amount, individual_id: f(40, 54).trim().to_owned() });
            }
            "7" => {
                let Some(entry) = pending.take() else {
                    return fail(n, "an addenda record must follow an entry detail record (type 6)");
                };
                match f(2, 3) {
                    "99" => {}
                    "98" => continue, // notification of change, not a return
                    other => {
                        return fail(
                            n,
                            format!("addenda type '{other}' isn't a return (returns have addenda type 99)"),
                        );
                    }
                }
                let Some(code) = ReturnCode::parse(f(4, 6)) else {
                    return fail(n, format!("the return reason code '{}' isn't a code like R01", f(4, 6).trim()));
                };
                let original_trace = f(7, 21);
                if original_trace.len() != 15 || !is_digits(original_trace) {
                    return fail(n, format!("the original trace number '{}' isn't 15 digits", original_trace.trim()));
                }
                let death = f(22, 27);
                let date_of_death = if death.trim().is_empty() {
                    None
                } else {
                    match yymmdd(death) {
                        Some(d) => Some(d),
                        None => return fail(n, format!("the date of death '{death}' isn't a date (YYMMDD)")),
                    }
                };
                let rdfi = f(28, 35).trim();
                if !rdfi.is_empty() && (rdfi.len() != 8 || !is_digits(rdfi)) {
                    return fail(n, format!("the original receiving DFI '{rdfi}' isn't 8 digits"));
                }
                let info = f(36, 79).trim();
                out.push(Return {
                    line: n,
                    original_trace: original_trace.to_owned(),
                    code,
                    date: batch_date,
                    date_of_death,
                    amount_cents: Some(entry.amount),
                    individual_id: (!entry.individual_id.is_empty()).then_some(entry.individual_id),
                    original_rdfi: (!rdfi.is_empty()).then(|| rdfi.to_owned()),
                    addenda_information: (!info.is_empty()).then(|| info.to_owned()),
                });
            }
            other => return fail(n, format!("'{other}' isn't a NACHA record type (1, 5, 6, 7, 8 or 9)")),
        }
    }
    if let Some(p) = pending {
        return fail(p.line, "this entry has no return addenda record (type 7, addenda type 99) after it");
    }
    Ok(out)
}

/// One CSV field: trimmed, surrounding double quotes removed.
fn csv_field(s: &str) -> &str {
    let t = s.trim();
    t.strip_prefix('"').and_then(|t| t.strip_suffix('"')).map_or(t, str::trim)
}

fn parse_csv(lines: &[(usize, &str)]) -> Result<Vec<Return>, ParseError> {
    let mut out = Vec::new();
    for (i, &(n, line)) in lines.iter().enumerate() {
        let fields: Vec<&str> = line.split(',').map(csv_field).collect();
        let first = fields.first().copied().unwrap_or_default();
        if i == 0 && !is_digits(first) && first.chars().any(char::is_alphabetic) {
            continue; // header row
        }
        // A trailing empty date column ("trace,code,") means no date.
        let fields: &[&str] = match fields.as_slice() {
            [_, _, ""] => &fields[..2],
            f => f,
        };
        let (trace, code, date) = match fields {
            [t, c] => (*t, *c, None),
            [t, c, d] => (*t, *c, Some(*d)),
            f => {
                return fail(
                    n,
                    format!(
                        "expected trace_number,return_code[,date] but found {} field{}",
                        f.len(),
                        if f.len() == 1 { "" } else { "s" }
                    ),
                );
            }
        };
        if trace.len() != 15 || !is_digits(trace) {
            return fail(n, format!("the trace number '{trace}' isn't 15 digits"));
        }
        let Some(code) = ReturnCode::parse(code) else {
            return fail(n, format!("the return code '{code}' isn't a code like R01"));
        };
        let date = match date {
            None => None,
            Some(d) => match crate::validate::date(d) {
                Some(d) => Some(d),
                None => return fail(n, format!("the date '{d}' isn't a date like 2026-03-10")),
            },
        };
        out.push(Return {
            line: n,
            original_trace: trace.to_owned(),
            code,
            date,
            date_of_death: None,
            amount_cents: None,
            individual_id: None,
            original_rdfi: None,
            addenda_information: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
