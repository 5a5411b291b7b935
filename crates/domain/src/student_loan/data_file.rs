//! Parser for the federal student aid data file, "MyStudentData.txt": the
//! text file a borrower downloads from studentaid.gov ("Download My Aid
//! Data"), formerly from NSLDS.
//!
//! # The format, as real files and the parsers people wrote for them show it
//!
//! One `Label:Value` pair per line (no space required after the colon; the
//! value may itself contain colons). The file opens with `File Source:` and
//! `File Request Date:` lines, then student lines (`Student First Name:` …),
//! sometimes portfolio summaries, then one block per loan. A block starts
//! with `Loan Type Code:` and carries, among others:
//!
//! ```text
//! Loan Type Code:D2
//! Loan Type Description:DIRECT STAFFORD UNSUBSIDIZED
//! Loan Award ID:XXXXXXXXXS19G12345001
//! Loan Attending School Name:EXAMPLE STATE UNIVERSITY
//! Loan Date:08/15/2019
//! Loan Amount:$5,500.00
//! Loan Disbursed Amount:$5,500.00
//! Loan Outstanding Principal Balance:$5,500.00
//! Loan Outstanding Principal Balance as of Date:04/30/2026
//! Loan Outstanding Interest Balance:$120.35
//! Loan Interest Rate Type Code:F
//! Loan Interest Rate:4.53%
//! Loan Repayment Plan Type Code:STD
//! Loan Status:RP
//! Loan Status Description:IN REPAYMENT
//! Loan Status Effective Date:11/15/2023
//! Loan Disbursement Date:08/15/2019
//! Loan Disbursement Amount:$2,750.00
//! ```
//!
//! `Loan Status` groups and `Loan Disbursement Date`/`Amount` pairs repeat;
//! a loan can have no disbursement rows at all. Money is written
//! `$12,345.00`, rates `4.53%`, dates `MM/DD/YYYY`.
//!
//! # What is accepted
//!
//! * a UTF-8 byte-order mark; `\n`, `\r\n` or a mix; blank lines anywhere;
//!   spaces around labels and values; labels in any letter case;
//! * unknown labels and lines without a colon (ignored; the file carries many
//!   fields — contacts, enrollment, grants — this parser does not need);
//! * for scalar fields repeated inside one loan, the first value wins (the
//!   same choice the public parsers make);
//! * money with or without `$` and thousands separators, a leading `-`;
//!   rates with or without `%`; dates `MM/DD/YYYY`, `M/D/YYYY` or
//!   `YYYY-MM-DD`; empty values for optional fields.
//!
//! # What is refused, with the line named ([`ParseError`])
//!
//! * a file over [`MAX_FILE_BYTES`] or [`MAX_LINES`] lines, a line over
//!   [`MAX_LINE_CHARS`] characters, NUL bytes (a binary file);
//! * a file with no `Loan Type Code:` line — not this format at all, or a
//!   file with no loans; more than [`MAX_LOANS`] loans;
//! * a loan without `Loan Outstanding Principal Balance:` (or with it empty);
//! * a malformed amount, rate or date in a field the parser reads;
//! * `Loan Disbursement Amount:` with no `Loan Disbursement Date:` before it.
//!
//! Only what the estimates need is kept. Identifiers such as SSN or date of
//! birth are never read.
//!
//! Line numbers are 1-based, counted on `\n`; line 0 means the file as a
//! whole (size).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::LoanKind;
use crate::loan::Cents;

/// Largest file accepted: 1 MiB. A real file with dozens of loans is a few
/// tens of kilobytes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Most lines accepted.
pub const MAX_LINES: usize = 20_000;
/// Longest line accepted, in characters.
pub const MAX_LINE_CHARS: usize = 1_000;
/// Most loans accepted in one file.
pub const MAX_LOANS: usize = 200;
/// Largest single amount accepted: $100,000,000.00.
pub const MAX_AMOUNT: Cents = Cents(10_000_000_000);

/// Why a file was refused: the 1-based line (0 for the whole file) and what
/// is wrong with it, in words for the person who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number; 0 for the file as a whole.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError { line, message: message.into() })
}

/// What the parser keeps of a data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentAidData {
    /// `File Request Date:`, when present.
    pub file_request_date: Option<Date>,
    /// `Student First Name:`, when present.
    pub student_first_name: Option<String>,
    /// `Student Last Name:`, when present.
    pub student_last_name: Option<String>,
    /// The loans, in file order (at least one).
    pub loans: Vec<FederalLoan>,
}

impl StudentAidData {
    /// Σ outstanding principal + interest of every loan.
    pub fn total_outstanding(&self) -> Cents {
        Cents(self.loans.iter().map(|l| l.outstanding().0).fold(0i64, i64::saturating_add))
    }
}

/// One disbursement row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disbursement {
    /// `Loan Disbursement Date:`.
    pub date: Date,
    /// `Loan Disbursement Amount:`, when given.
    pub amount: Option<Cents>,
}

/// One status row (`Loan Status:` with its description and date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanStatus {
    /// Status code (`RP`, `IG`, `FB` …).
    pub code: String,
    /// `Loan Status Description:`.
    pub description: Option<String>,
    /// `Loan Status Effective Date:`.
    pub effective: Option<Date>,
}

/// One loan of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FederalLoan {
    /// Line of its `Loan Type Code:`.
    pub line: usize,
    /// `Loan Type Code:` as written (upper-cased).
    pub type_code: String,
    /// The kind for that code.
    pub kind: LoanKind,
    /// `Loan Type Description:`.
    pub type_description: Option<String>,
    /// `Loan Award ID:` (often partly masked in the file).
    pub award_id: Option<String>,
    /// `Loan Attending School Name:`.
    pub school: Option<String>,
    /// `Loan Date:`.
    pub loan_date: Option<Date>,
    /// `Loan Amount:`.
    pub amount: Option<Cents>,
    /// `Loan Disbursed Amount:`.
    pub disbursed_amount: Option<Cents>,
    /// `Loan Outstanding Principal Balance:` (required).
    pub principal_balance: Cents,
    /// `Loan Outstanding Interest Balance:` (zero when absent).
    pub interest_balance: Cents,
    /// `Loan Interest Rate Type Code:` (`F` fixed, `V` variable).
    pub rate_type: Option<String>,
    /// `Loan Interest Rate:` as a fraction (4.53 % → `0.0453`).
    pub interest_rate: Option<Decimal>,
    /// `Loan Repayment Plan Type Code:`.
    pub repayment_plan: Option<String>,
    /// Status rows in file order.
    pub statuses: Vec<LoanStatus>,
    /// Disbursement rows in file order (possibly none).
    pub disbursements: Vec<Disbursement>,
}

impl FederalLoan {
    /// Principal + interest outstanding.
    pub fn outstanding(&self) -> Cents {
        Cents(self.principal_balance.0.saturating_add(self.interest_balance.0))
    }

    /// The earliest disbursement date, or the loan date when the file has
    /// no disbursement rows.
    pub fn first_disbursement(&self) -> Option<Date> {
        self.disbursements.iter().map(|d| d.date).min().or(self.loan_date)
    }

    /// The current status: the row with the latest effective date, else the
    /// first row.
    pub fn current_status(&self) -> Option<&LoanStatus> {
        self.statuses.iter().filter(|s| s.effective.is_some()).max_by_key(|s| s.effective).or(self.statuses.first())
    }
}

/// A loan being read, before its required fields are checked.
struct Draft {
    loan: FederalLoan,
    principal_seen: bool,
    interest_seen: bool,
    seen: Vec<&'static str>,
}

impl Draft {
    fn first(&mut self, field: &'static str) -> bool {
        if self.seen.contains(&field) {
            false
        } else {
            self.seen.push(field);
            true
        }
    }

    fn finish(self) -> Result<FederalLoan, ParseError> {
        if !self.principal_seen {
            return err(
                self.loan.line,
                format!(
                    "the loan starting here (Loan Type Code: {}) has no \"Loan Outstanding Principal Balance\"",
                    self.loan.type_code
                ),
            );
        }
        Ok(self.loan)
    }
}

/// Parses a data file given as raw bytes (as uploaded).
pub fn parse(bytes: &[u8]) -> Result<StudentAidData, ParseError> {
    if bytes.len() > MAX_FILE_BYTES {
        return err(
            0,
            format!(
                "the file is larger than {} KiB; this is not a federal student aid data file",
                MAX_FILE_BYTES / 1024
            ),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
        return err(line, "the file contains binary data; upload the text file MyStudentData.txt");
    }
    let text = String::from_utf8_lossy(bytes);
    parse_str(&text)
}

/// Parses a data file already decoded to text (a leading BOM is skipped).
pub fn parse_str(text: &str) -> Result<StudentAidData, ParseError> {
    if text.len() > MAX_FILE_BYTES {
        return err(
            0,
            format!(
                "the file is larger than {} KiB; this is not a federal student aid data file",
                MAX_FILE_BYTES / 1024
            ),
        );
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut data = StudentAidData {
        file_request_date: None,
        student_first_name: None,
        student_last_name: None,
        loans: Vec::new(),
    };
    let mut current: Option<Draft> = None;

    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        if line > MAX_LINES {
            return err(
                line,
                format!("the file has more than {MAX_LINES} lines; this is not a federal student aid data file"),
            );
        }
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.chars().count() > MAX_LINE_CHARS {
            return err(line, format!("the line is longer than {MAX_LINE_CHARS} characters"));
        }
        let Some((label, value)) = raw.split_once(':') else { continue };
        let label = normalize_label(label);
        let value = value.trim();

        if label == "loan type code" || label == "loan type" {
            if let Some(draft) = current.take() {
                push_loan(&mut data, draft.finish()?, line)?;
            }
            if value.is_empty() {
                return err(line, "\"Loan Type Code\" is empty");
            }
            let code = value.to_ascii_uppercase();
            current = Some(Draft {
                loan: FederalLoan {
                    line,
                    kind: LoanKind::from_code(&code),
                    type_code: code,
                    type_description: None,
                    award_id: None,
                    school: None,
                    loan_date: None,
                    amount: None,
                    disbursed_amount: None,
                    principal_balance: Cents::ZERO,
                    interest_balance: Cents::ZERO,
                    rate_type: None,
                    interest_rate: None,
                    repayment_plan: None,
                    statuses: Vec::new(),
                    disbursements: Vec::new(),
                },
                principal_seen: false,
                interest_seen: false,
                seen: Vec::new(),
            });
            continue;
        }

        let Some(draft) = current.as_mut() else {
            // Before the first loan: file and student lines.
            match label.as_str() {
                "file request date" if data.file_request_date.is_none() => {
                    data.file_request_date = optional_date(value, line, "File Request Date")?;
                }
                "student first name" if data.student_first_name.is_none() => {
                    data.student_first_name = text_value(value);
                }
                "student last name" if data.student_last_name.is_none() => {
                    data.student_last_name = text_value(value);
                }
                _ => {}
            }
            continue;
        };

        match label.as_str() {
            "loan type description" if draft.first("description") => draft.loan.type_description = text_value(value),
            "loan award id" if draft.first("award") => draft.loan.award_id = text_value(value),
            "loan attending school name" if draft.first("school") => draft.loan.school = text_value(value),
            "loan date" if draft.first("date") => draft.loan.loan_date = optional_date(value, line, "Loan Date")?,
            "loan amount" if draft.first("amount") => draft.loan.amount = optional_money(value, line, "Loan Amount")?,
            "loan disbursed amount" if draft.first("disbursed") => {
                draft.loan.disbursed_amount = optional_money(value, line, "Loan Disbursed Amount")?;
            }
            "loan outstanding principal balance" if !draft.principal_seen => {
                match optional_money(value, line, "Loan Outstanding Principal Balance")? {
                    Some(amount) => draft.loan.principal_balance = amount,
                    None => return err(line, "\"Loan Outstanding Principal Balance\" is empty"),
                }
                draft.principal_seen = true;
            }
            "loan outstanding interest balance" if !draft.interest_seen => {
                draft.loan.interest_balance =
                    optional_money(value, line, "Loan Outstanding Interest Balance")?.unwrap_or(Cents::ZERO);
                draft.interest_seen = true;
            }
            "loan interest rate type code" if draft.first("rate type") => draft.loan.rate_type = text_value(value),
            "loan interest rate" if draft.first("rate") => draft.loan.interest_rate = optional_rate(value, line)?,
            "loan repayment plan type code" if draft.first("plan") => draft.loan.repayment_plan = text_value(value),
            "loan status" if !value.is_empty() => {
                draft.loan.statuses.push(LoanStatus { code: value.to_owned(), description: None, effective: None });
            }
            "loan status description" => {
                if let Some(status) = draft.loan.statuses.last_mut().filter(|s| s.description.is_none()) {
                    status.description = text_value(value);
                }
            }
            "loan status effective date" => {
                let date = optional_date(value, line, "Loan Status Effective Date")?;
                if let Some(status) = draft.loan.statuses.last_mut().filter(|s| s.effective.is_none()) {
                    status.effective = date;
                }
            }
            "loan disbursement date" => {
                if let Some(date) = optional_date(value, line, "Loan Disbursement Date")? {
                    if draft.loan.disbursements.len() >= 1_000 {
                        return err(line, "too many disbursements on one loan");
                    }
                    draft.loan.disbursements.push(Disbursement { date, amount: None });
                }
            }
            "loan disbursement amount" => {
                let amount = optional_money(value, line, "Loan Disbursement Amount")?;
                match draft.loan.disbursements.last_mut() {
                    Some(row) if row.amount.is_none() => row.amount = amount,
                    _ if amount.is_none() => {}
                    _ => {
                        return err(
                            line,
                            "\"Loan Disbursement Amount\" without a \"Loan Disbursement Date\" before it",
                        );
                    }
                }
            }
            _ => {}
        }
    }

    let last_line = text.split('\n').count();
    match current.take() {
        Some(draft) => push_loan(&mut data, draft.finish()?, last_line)?,
        None => {
            return err(
                1,
                "this is not a federal student aid data file (MyStudentData.txt): it has no \"Loan Type Code\" line",
            );
        }
    }
    Ok(data)
}

fn push_loan(data: &mut StudentAidData, loan: FederalLoan, line: usize) -> Result<(), ParseError> {
    if data.loans.len() >= MAX_LOANS {
        return err(line, format!("the file lists more than {MAX_LOANS} loans"));
    }
    data.loans.push(loan);
    Ok(())
}

/// Lower-cased label with runs of whitespace collapsed to one space.
fn normalize_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn text_value(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.chars().take(200).collect())
}

/// Parses `$12,345.67`, `12345.6`, `-$5.00`, `$(5.00)` is refused. Empty →
/// `None`.
pub fn parse_money(value: &str) -> Result<Option<Cents>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let (negative, rest) = match value.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, value),
    };
    let rest = rest.strip_prefix('$').unwrap_or(rest).trim_start();
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let bad = || format!("\"{}\" is not an amount of money", value.chars().take(40).collect::<String>());
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return Err(bad());
    }
    // Thousands separators, when present, must group by three.
    if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(bad());
        }
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    let cents_part = match fraction {
        None => 0,
        Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            let n: i64 = f.parse().map_err(|_| bad())?;
            if f.len() == 1 { n * 10 } else { n }
        }
        Some(_) => return Err(bad()),
    };
    if digits.len() > 12 {
        return Err(format!("{} is more than $100,000,000.00", value.chars().take(40).collect::<String>()));
    }
    let dollars: i64 = digits.parse().map_err(|_| bad())?;
    let cents = dollars * 100 + cents_part;
    if cents > MAX_AMOUNT.0 {
        return Err(format!("{} is more than $100,000,000.00", value.chars().take(40).collect::<String>()));
    }
    Ok(Some(Cents(if negative { -cents } else { cents })))
}

fn optional_money(value: &str, line: usize, field: &str) -> Result<Option<Cents>, ParseError> {
    parse_money(value).or_else(|message| err(line, format!("{field}: {message}")))
}

/// Parses `4.53%` / `4.53` / `6.800%` into a fraction (`0.0453`); empty →
/// `None`. Refuses negatives and rates above 100 %.
pub fn parse_rate(value: &str) -> Result<Option<Decimal>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let number = value.strip_suffix('%').unwrap_or(value).trim();
    let bad = || format!("\"{}\" is not an interest rate", value.chars().take(40).collect::<String>());
    if number.is_empty() || number.len() > 12 || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(bad());
    }
    let percent: Decimal = number.parse().map_err(|_| bad())?;
    if percent > Decimal::ONE_HUNDRED {
        return Err(format!("{} is above 100%", value.chars().take(40).collect::<String>()));
    }
    Ok(Some(percent / Decimal::ONE_HUNDRED))
}

fn optional_rate(value: &str, line: usize) -> Result<Option<Decimal>, ParseError> {
    parse_rate(value).or_else(|message| err(line, format!("Loan Interest Rate: {message}")))
}

/// Parses `MM/DD/YYYY` (one-digit month/day allowed) or `YYYY-MM-DD`; empty
/// → `None`.
pub fn parse_date(value: &str) -> Result<Option<Date>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || format!("\"{}\" is not a date (MM/DD/YYYY)", value.chars().take(40).collect::<String>());
    let parts: Vec<&str> = if value.contains('/') { value.split('/').collect() } else { value.split('-').collect() };
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let (y, m, d) = if value.contains('/') {
        if parts[2].len() != 4 {
            return Err(bad());
        }
        (parts[2], parts[0], parts[1])
    } else {
        if parts[0].len() != 4 {
            return Err(bad());
        }
        (parts[0], parts[1], parts[2])
    };
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let day: u8 = d.parse().map_err(|_| bad())?;
    let month = Month::try_from(month).map_err(|_| bad())?;
    if !(1900..=2200).contains(&year) {
        return Err(bad());
    }
    Date::from_calendar_date(year, month, day).map(Some).map_err(|_| bad())
}

fn optional_date(value: &str, line: usize, field: &str) -> Result<Option<Date>, ParseError> {
    parse_date(value).or_else(|message| err(line, format!("{field}: {message}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn money() {
        assert_eq!(parse_money("$12,345.00"), Ok(Some(Cents(1_234_500))));
        assert_eq!(parse_money(" 12345.6 "), Ok(Some(Cents(1_234_560))));
        assert_eq!(parse_money("$0.00"), Ok(Some(Cents(0))));
        assert_eq!(parse_money("-$5.25"), Ok(Some(Cents(-525))));
        assert_eq!(parse_money("$1,000"), Ok(Some(Cents(100_000))));
        assert_eq!(parse_money(""), Ok(None));
        for bad in ["$", "abc", "$12,34.00", "$1.234", "1.2.3", "$ 1,0000", "12e3", "$100,000,000.01", "9999999999999"]
        {
            assert!(parse_money(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rates_and_dates() {
        assert_eq!(parse_rate("4.53%"), Ok(Some("0.0453".parse().unwrap())));
        assert_eq!(parse_rate("6.800"), Ok(Some("0.068".parse().unwrap())));
        assert_eq!(parse_rate(""), Ok(None));
        assert!(parse_rate("-1%").is_err());
        assert!(parse_rate("101%").is_err());
        assert!(parse_rate("four").is_err());
        assert_eq!(parse_date("08/15/2019"), Ok(Some(date!(2019 - 08 - 15))));
        assert_eq!(parse_date("8/5/2019"), Ok(Some(date!(2019 - 08 - 05))));
        assert_eq!(parse_date("2019-08-15"), Ok(Some(date!(2019 - 08 - 15))));
        for bad in ["13/01/2019", "02/30/2019", "2019/08/15", "08-15-2019", "yesterday", "1/1/19"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn minimal_file_and_label_variations() {
        let text = "\u{feff}File Source:National Student Loan Data System\r\n\r\n  loan type code :  d1 \r\nLOAN OUTSTANDING PRINCIPAL BALANCE:$1,000.00\r\nLoan  Interest  Rate:5%";
        let data = parse_str(text).unwrap();
        assert_eq!(data.loans.len(), 1);
        let loan = &data.loans[0];
        assert_eq!((loan.line, loan.type_code.as_str()), (3, "D1"));
        assert_eq!(loan.kind, LoanKind::DirectSubsidized);
        assert_eq!(loan.principal_balance, Cents(100_000));
        assert_eq!(loan.interest_balance, Cents::ZERO);
        assert_eq!(loan.interest_rate, Some("0.05".parse().unwrap()));
        assert_eq!(loan.first_disbursement(), None);
    }

    #[test]
    fn errors_name_the_line() {
        let no_balance =
            "Loan Type Code:D2\nLoan Interest Rate:4%\n\nLoan Type Code:D1\nLoan Outstanding Principal Balance:$1.00\n";
        assert_eq!(parse_str(no_balance).unwrap_err().line, 1);
        let bad_amount = "Loan Type Code:D2\nLoan Outstanding Principal Balance:$1.00\nLoan Amount:lots\n";
        let e = parse_str(bad_amount).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("Loan Amount"), "{e}");
        let empty_balance = "Loan Type Code:D2\nLoan Outstanding Principal Balance:\n";
        assert_eq!(parse_str(empty_balance).unwrap_err().line, 2);
        let orphan = "Loan Type Code:D2\nLoan Outstanding Principal Balance:$1.00\nLoan Disbursement Amount:$1.00\n";
        assert_eq!(parse_str(orphan).unwrap_err().line, 3);
        assert_eq!(parse_str("hello world\nthis is a letter").unwrap_err().line, 1);
        assert_eq!(parse_str("").unwrap_err().line, 1);
        assert_eq!(parse(b"Loan Type Code:D2\n\0\x01").unwrap_err().line, 2);
        let long = format!("Loan Type Code:D2\nx:{}", "y".repeat(MAX_LINE_CHARS));
        assert_eq!(parse_str(&long).unwrap_err().line, 2);
        assert_eq!(parse(&vec![b'a'; MAX_FILE_BYTES + 1]).unwrap_err().line, 0);
        let many_lines = "\n".repeat(MAX_LINES + 1);
        assert_eq!(parse_str(&many_lines).unwrap_err().line, MAX_LINES + 1);
    }
}
