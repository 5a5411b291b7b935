//! A writer of NACHA (ACH) files for consumer debits (payments) and credits
//! (refunds).
//!
//! A file is built from plain structs ([`AchFile`] → [`AchBatch`] →
//! [`AchEntry`]) by [`write_file`], which validates everything first and
//! returns either the whole file or an [`NachaError`] naming the batch and
//! entry at fault — never half a file.
//!
//! # Layout (NACHA Operating Rules, Appendix Three)
//!
//! ```text
//! 1  File Header            once
//! 5  Batch Header           per batch ─┐
//! 6  Entry Detail           per entry  │ repeated
//! 8  Batch Control          per batch ─┘
//! 9  File Control           once
//! 9999…9999                 filler up to a multiple of 10 records
//! ```
//!
//! Every record is exactly 94 characters. Positions quoted in this module's
//! comments are the spec's 1-based inclusive positions.
//!
//! # Decisions
//!
//! * **Line endings**: [`LineEnding::CrLf`] by default — every ODFI upload
//!   portal and the Fed's FedACH accept it, and it survives being opened on
//!   Windows; [`LineEnding::Lf`] is available for banks that want it. Every
//!   record, including the last filler line, ends with the line ending.
//! * **Text fields** (names, descriptions) go through [`clean_text`]:
//!   accented Latin letters are transliterated (`José Müller` → `JOSE
//!   MULLER`), typographic quotes and dashes become ASCII, anything else that
//!   is not printable ASCII is dropped, and the result is upper-cased and
//!   truncated to the field's width. Names are never refused for their
//!   characters; only a required field that ends up empty is an error.
//! * **Individual identification number** (positions 40–54) carries our
//!   payment reference. It is *not* cleaned or truncated: it must already be
//!   at most 15 printable ASCII characters, because returns are matched on it.
//! * **Trace numbers** are the batch's originating DFI id (8 digits) and a
//!   7-digit sequence that starts at [`AchFile::first_trace_sequence`] and
//!   runs through the whole file in entry order, so they are unique within the
//!   file; the caller keeps the sequence going from file to file so they stay
//!   unique across files (returns quote them). [`AchOutput::traces`] lists
//!   them.
//! * **Service class** is computed: 225 for a batch of debits only, 220 for
//!   credits only, 200 for a mix.
//! * **Amounts** are positive `i64` cents that fit the 10-digit field
//!   (at most $99,999,999.99); zero-dollar entries (prenotes) are not
//!   supported.
//! * **SEC codes**: PPD (the brief's choice) and WEB. Note that NACHA expects
//!   consumer debits authorised online (a portal payment or AutoPay set up in
//!   the portal) to be sent as **WEB**; PPD is for authorisations signed on
//!   paper or equivalent, and for refunds (credits). WEB batches may carry
//!   debits only here, with the payment type code `R`/`S` taken from
//!   [`AchEntry::recurring`].
//! * The effective entry date may not be before the file's creation date;
//!   a weekend or holiday effective date is allowed (the ACH operator settles
//!   it on the next business day) but callers should use
//!   [`crate::payment::schedule::run_date`].

use std::fmt;

use time::{Date, PrimitiveDateTime};

use super::aba::{self, AccountError, RoutingError};

/// The width of every NACHA record.
pub const RECORD_LEN: usize = 94;
/// Records per block; the file is padded to a multiple of this.
pub const BLOCKING_FACTOR: usize = 10;
/// The largest amount of one entry, in cents ($99,999,999.99: 10 digits).
pub const MAX_ENTRY_CENTS: i64 = 9_999_999_999;
/// The largest batch or file total, in cents (12 digits).
pub const MAX_TOTAL_CENTS: i64 = 999_999_999_999;

/// How records are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    /// `\r\n` after every record (the default).
    #[default]
    CrLf,
    /// `\n` after every record.
    Lf,
}

impl LineEnding {
    fn as_str(self) -> &'static str {
        match self {
            LineEnding::CrLf => "\r\n",
            LineEnding::Lf => "\n",
        }
    }
}

/// The Standard Entry Class of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecCode {
    /// Prearranged Payment and Deposit: consumer entries authorised in
    /// writing (or similarly); debits and credits.
    Ppd,
    /// Internet-initiated consumer debits.
    Web,
}

impl SecCode {
    fn as_str(self) -> &'static str {
        match self {
            SecCode::Ppd => "PPD",
            SecCode::Web => "WEB",
        }
    }
}

/// Whether an entry takes money from the customer or gives it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A payment: money is taken from the customer's account.
    Debit,
    /// A refund: money is sent to the customer's account.
    Credit,
}

/// The kind of the customer's bank account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountType {
    /// A checking (demand deposit) account.
    Checking,
    /// A savings account.
    Savings,
}

/// The NACHA transaction code of a live entry: 22 checking credit, 27
/// checking debit, 32 savings credit, 37 savings debit.
pub const fn transaction_code(direction: Direction, account: AccountType) -> u8 {
    match (account, direction) {
        (AccountType::Checking, Direction::Credit) => 22,
        (AccountType::Checking, Direction::Debit) => 27,
        (AccountType::Savings, Direction::Credit) => 32,
        (AccountType::Savings, Direction::Debit) => 37,
    }
}

/// A whole file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchFile {
    /// The routing number of the bank the file is sent to (our ODFI, or the
    /// Fed when the ODFI says so): 9 digits, written as ` TTTTAAAAC`.
    pub immediate_destination: String,
    /// Its name (up to 23 characters; may be empty).
    pub immediate_destination_name: String,
    /// Who sends the file, as the ODFI assigned it: 9 digits (a routing
    /// number, written with a leading space) or 10 letters/digits (commonly
    /// `1` followed by the company's EIN).
    pub immediate_origin: String,
    /// Its name (up to 23 characters; may be empty).
    pub immediate_origin_name: String,
    /// When the file was created (local time of the originator).
    pub created: PrimitiveDateTime,
    /// `A`–`Z` or `0`–`9`: tells apart files created the same day.
    pub file_id_modifier: char,
    /// Free reference for the originator's use (up to 8 characters).
    pub reference_code: String,
    /// The sequence part of the first entry's trace number (0–9,999,999).
    pub first_trace_sequence: u32,
    /// How records are separated.
    pub line_ending: LineEnding,
    /// At least one batch.
    pub batches: Vec<AchBatch>,
}

/// One batch: entries of one company with one effective date and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchBatch {
    /// PPD or WEB.
    pub sec: SecCode,
    /// The name customers see on their statement (up to 16 characters).
    pub company_name: String,
    /// Free data for the originator (up to 20 characters; may be empty).
    pub company_discretionary_data: String,
    /// The company identification the ODFI assigned (1–10 letters or
    /// digits, commonly `1` + EIN).
    pub company_id: String,
    /// Shown on statements, e.g. `PAYMENT`, `REFUND` (up to 10 characters).
    /// NACHA reserves `REVERSAL`, `RETRY PMT` and `RETURN FEE` for those uses.
    pub entry_description: String,
    /// A date as the company wants it shown, e.g. `MAR 26` (up to 6
    /// characters; may be empty).
    pub company_descriptive_date: String,
    /// The day the entries should settle.
    pub effective_entry_date: Date,
    /// The first 8 digits of our ODFI's routing number.
    pub originating_dfi: String,
    /// At least one entry.
    pub entries: Vec<AchEntry>,
}

/// One debit or credit to a customer's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchEntry {
    /// Debit (payment) or credit (refund).
    pub direction: Direction,
    /// Checking or savings.
    pub account_type: AccountType,
    /// The customer's bank's routing number (9 digits).
    pub routing: String,
    /// The customer's account number (4–17 digits).
    pub account_number: String,
    /// Positive cents, at most [`MAX_ENTRY_CENTS`].
    pub amount_cents: i64,
    /// Our payment reference (up to 15 printable ASCII characters, kept as
    /// is).
    pub individual_id: String,
    /// The account holder's name (cleaned and truncated to 22 characters).
    pub individual_name: String,
    /// WEB only: a recurring payment (AutoPay, payment type code `R`) rather
    /// than a single one (`S`). Ignored for PPD.
    pub recurring: bool,
}

/// Where in the input a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The file's own fields.
    File,
    /// Batch number `n` (1-based).
    Batch(usize),
    /// Entry `entry` (1-based) of batch `batch` (1-based).
    Entry {
        /// 1-based batch number.
        batch: usize,
        /// 1-based entry number within the batch.
        entry: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => f.write_str("file"),
            Location::Batch(b) => write!(f, "batch {b}"),
            Location::Entry { batch, entry } => write!(f, "batch {batch}, entry {entry}"),
        }
    }
}

/// What is wrong with the input of [`write_file`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A routing number (immediate destination or an entry's) is invalid.
    #[error("routing number: {0}")]
    Routing(RoutingError),
    /// An account number is invalid.
    #[error("account number: {0}")]
    Account(AccountError),
    /// The immediate origin is not 9 digits or 10 letters/digits.
    #[error("the immediate origin must be 9 digits or 10 letters and digits")]
    ImmediateOrigin,
    /// The originating DFI id is not 8 digits.
    #[error("the originating DFI identification must be 8 digits")]
    OriginatingDfi,
    /// The company identification is not 1–10 letters or digits.
    #[error("the company identification must be 1 to 10 letters or digits")]
    CompanyId,
    /// The file id modifier is not `A`–`Z` or `0`–`9`.
    #[error("the file id modifier must be a capital letter or a digit")]
    FileIdModifier,
    /// A required text field is empty (after cleaning); the payload names it.
    #[error("the {0} is empty")]
    Empty(&'static str),
    /// The individual identification (payment reference) is too long or has
    /// characters other than printable ASCII.
    #[error("the individual identification must be at most 15 printable ASCII characters")]
    IndividualId,
    /// An amount is zero, negative or more than [`MAX_ENTRY_CENTS`].
    #[error("the amount must be between $0.01 and $99,999,999.99")]
    Amount,
    /// A batch or file total exceeds 12 digits.
    #[error("the total is more than $9,999,999,999.99")]
    Total,
    /// The file has no batches.
    #[error("there are no batches")]
    NoBatches,
    /// A batch has no entries.
    #[error("the batch has no entries")]
    NoEntries,
    /// The effective entry date is before the creation date.
    #[error("the effective entry date is before the file creation date")]
    EffectiveDate,
    /// A WEB batch has a credit entry.
    #[error("WEB batches may carry debits only; send refunds in a PPD batch")]
    WebCredit,
    /// A count does not fit its field (trace sequence, batch or entry count,
    /// or a year beyond 2099); the payload names it.
    #[error("too many {0}")]
    TooMany(&'static str),
}

/// Why [`write_file`] refused its input: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {problem}")]
pub struct NachaError {
    /// Which part of the input.
    pub at: Location,
    /// What is wrong with it.
    pub problem: Problem,
}

/// The trace number given to one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryTrace {
    /// 0-based index of the batch in [`AchFile::batches`].
    pub batch: usize,
    /// 0-based index of the entry in [`AchBatch::entries`].
    pub entry: usize,
    /// The 15-digit trace number.
    pub trace_number: String,
}

/// The control totals of a written file (as in its File Control record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileTotals {
    /// Number of batches.
    pub batch_count: u64,
    /// Number of 10-record blocks (records including filler / 10).
    pub block_count: u64,
    /// Number of entry and addenda records.
    pub entry_addenda_count: u64,
    /// Sum of the receiving DFI ids, rightmost 10 digits.
    pub entry_hash: u64,
    /// Total of the debits, in cents.
    pub total_debit_cents: i64,
    /// Total of the credits, in cents.
    pub total_credit_cents: i64,
}

/// A written file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchOutput {
    /// The file's text: ASCII records of 94 characters, each followed by the
    /// chosen line ending.
    pub text: String,
    /// The trace number of every entry, in file order.
    pub traces: Vec<EntryTrace>,
    /// The file's control totals.
    pub totals: FileTotals,
}

/// Appends the ASCII form of `c` (upper case) to `out`: accented Latin
/// letters lose their accents, ligatures are spelled out, typographic
/// punctuation becomes ASCII, other characters are dropped.
fn fold_char(c: char, out: &mut String) {
    let s: &str =
        match c {
            ' '..='~' => {
                out.push(c.to_ascii_uppercase());
                return;
            }
            c if c.is_whitespace() || c.is_control() => " ",
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą'
            | 'ą' => "A",
            'Æ' | 'æ' => "AE",
            'Ç' | 'ç' | 'Ć' | 'ć' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' | 'Č' | 'č' => "C",
            'Ð' | 'ð' | 'Ď' | 'ď' | 'Đ' | 'đ' => "D",
            'È' | 'É' | 'Ê' | 'Ë' | 'è' | 'é' | 'ê' | 'ë' | 'Ē' | 'ē' | 'Ĕ' | 'ĕ' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě'
            | 'ě' => "E",
            'Ĝ' | 'ĝ' | 'Ğ' | 'ğ' | 'Ġ' | 'ġ' | 'Ģ' | 'ģ' => "G",
            'Ĥ' | 'ĥ' | 'Ħ' | 'ħ' => "H",
            'Ì' | 'Í' | 'Î' | 'Ï' | 'ì' | 'í' | 'î' | 'ï' | 'Ĩ' | 'ĩ' | 'Ī' | 'ī' | 'Ĭ' | 'ĭ' | 'Į' | 'į' | 'İ'
            | 'ı' => "I",
            'Ĳ' | 'ĳ' => "IJ",
            'Ĵ' | 'ĵ' => "J",
            'Ķ' | 'ķ' | 'ĸ' => "K",
            'Ĺ' | 'ĺ' | 'Ļ' | 'ļ' | 'Ľ' | 'ľ' | 'Ŀ' | 'ŀ' | 'Ł' | 'ł' => "L",
            'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ņ' | 'ņ' | 'Ň' | 'ň' | 'ŉ' | 'Ŋ' | 'ŋ' => "N",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ō' | 'ō' | 'Ŏ' | 'ŏ' | 'Ő'
            | 'ő' => "O",
            'Œ' | 'œ' => "OE",
            'Ŕ' | 'ŕ' | 'Ŗ' | 'ŗ' | 'Ř' | 'ř' => "R",
            'Ś' | 'ś' | 'Ŝ' | 'ŝ' | 'Ş' | 'ş' | 'Š' | 'š' | 'ſ' | 'Ș' | 'ș' => "S",
            'ß' => "SS",
            'Ţ' | 'ţ' | 'Ť' | 'ť' | 'Ŧ' | 'ŧ' | 'Ț' | 'ț' => "T",
            'Þ' | 'þ' => "TH",
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'ù' | 'ú' | 'û' | 'ü' | 'Ũ' | 'ũ' | 'Ū' | 'ū' | 'Ŭ' | 'ŭ' | 'Ů' | 'ů' | 'Ű'
            | 'ű' | 'Ų' | 'ų' => "U",
            'Ŵ' | 'ŵ' => "W",
            'Ý' | 'ý' | 'ÿ' | 'Ÿ' | 'Ŷ' | 'ŷ' => "Y",
            'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "Z",
            '‘' | '’' | '‚' | '‛' | '′' | '´' => "'",
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => "\"",
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => "-",
            '…' => "...",
            '·' | '•' => " ",
            _ => "",
        };
    out.push_str(s);
}

/// `input` as NACHA alphanumeric text of at most `max` characters:
/// transliterated to upper-case printable ASCII (see [`fold_char`]),
/// whitespace runs collapsed to one space, trimmed, then truncated.
///
/// ```
/// use portico_domain::payment::nacha::clean_text;
/// assert_eq!(clean_text("  José  Müller-Łukasz ", 22), "JOSE MULLER-LUKASZ");
/// assert_eq!(clean_text("Ægir Þórsson Guðmundsdóttir", 22), "AEGIR THORSSON GUDMUND");
/// ```
pub fn clean_text(input: &str, max: usize) -> String {
    let mut folded = String::with_capacity(input.len());
    for c in input.chars() {
        fold_char(c, &mut folded);
    }
    let collapsed = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    // All ASCII now, so byte and character counts agree.
    let mut truncated: String = collapsed.chars().take(max).collect();
    truncated.truncate(truncated.trim_end().len());
    truncated
}

/// Left-justified, space-padded (text already ASCII and at most `width`).
fn alpha(s: &str, width: usize) -> String {
    let cut: String = s.chars().take(width).collect();
    format!("{cut:<width$}")
}

/// Right-justified, zero-padded; keeps the rightmost `width` digits.
fn num(n: u64, width: usize) -> String {
    let s = format!("{n:0width$}");
    s.get(s.len() - width..).unwrap_or_default().to_owned()
}

/// YYMMDD.
fn yymmdd(d: Date) -> String {
    let yy = d.year().rem_euclid(100);
    format!("{yy:02}{:02}{:02}", u8::from(d.month()), d.day())
}

/// A cleaned text field that must not be empty.
fn required(input: &str, width: usize, what: &'static str, at: Location) -> Result<String, NachaError> {
    let s = clean_text(input, width);
    if s.is_empty() {
        return Err(NachaError { at, problem: Problem::Empty(what) });
    }
    Ok(s)
}

struct CheckedEntry {
    code: u8,
    dfi: String,
    check: char,
    account: String,
    amount: i64,
    id: String,
    name: String,
    discretionary: &'static str,
}

struct CheckedBatch {
    service_class: u16,
    company_name: String,
    discretionary: String,
    company_id: String,
    sec: &'static str,
    description: String,
    descriptive_date: String,
    effective: String,
    odfi: String,
    entries: Vec<CheckedEntry>,
    hash: u64,
    debit: i64,
    credit: i64,
}

fn check_entry(e: &AchEntry, sec: SecCode, at: Location) -> Result<CheckedEntry, NachaError> {
    let err = |problem| NachaError { at, problem };
    let routing = aba::validate_routing(&e.routing).map_err(|r| err(Problem::Routing(r)))?;
    let account = aba::validate_account_number(&e.account_number).map_err(|a| err(Problem::Account(a)))?;
    if !(1..=MAX_ENTRY_CENTS).contains(&e.amount_cents) {
        return Err(err(Problem::Amount));
    }
    if e.individual_id.len() > 15 || !e.individual_id.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Err(err(Problem::IndividualId));
    }
    if sec == SecCode::Web && e.direction == Direction::Credit {
        return Err(err(Problem::WebCredit));
    }
    let discretionary = match (sec, e.recurring) {
        (SecCode::Ppd, _) => "  ",
        (SecCode::Web, true) => "R ",
        (SecCode::Web, false) => "S ",
    };
    Ok(CheckedEntry {
        code: transaction_code(e.direction, e.account_type),
        dfi: routing.dfi_id().to_owned(),
        check: routing.check_digit(),
        account,
        amount: e.amount_cents,
        id: e.individual_id.clone(),
        name: required(&e.individual_name, 22, "individual name", at)?,
        discretionary,
    })
}

fn check_batch(b: &AchBatch, index: usize, created: Date) -> Result<CheckedBatch, NachaError> {
    let at = Location::Batch(index + 1);
    let err = |problem| NachaError { at, problem };
    if b.originating_dfi.len() != 8 || !b.originating_dfi.bytes().all(|c| c.is_ascii_digit()) {
        return Err(err(Problem::OriginatingDfi));
    }
    if b.company_id.is_empty() || b.company_id.len() > 10 || !b.company_id.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return Err(err(Problem::CompanyId));
    }
    if b.effective_entry_date < created {
        return Err(err(Problem::EffectiveDate));
    }
    if !(2000..=2099).contains(&b.effective_entry_date.year()) {
        return Err(err(Problem::TooMany("years: the effective entry date must be in 2000–2099")));
    }
    if b.entries.is_empty() {
        return Err(err(Problem::NoEntries));
    }
    if b.entries.len() > 999_999 {
        return Err(err(Problem::TooMany("entries in one batch")));
    }
    let mut entries = Vec::with_capacity(b.entries.len());
    let (mut hash, mut debit, mut credit) = (0u64, 0i64, 0i64);
    for (i, e) in b.entries.iter().enumerate() {
        let checked = check_entry(e, b.sec, Location::Entry { batch: index + 1, entry: i + 1 })?;
        hash += checked.dfi.parse::<u64>().unwrap_or(0);
        let total = match e.direction {
            Direction::Debit => &mut debit,
            Direction::Credit => &mut credit,
        };
        *total += checked.amount;
        if *total > MAX_TOTAL_CENTS {
            return Err(err(Problem::Total));
        }
        entries.push(checked);
    }
    let service_class = match (debit > 0, credit > 0) {
        (true, false) => 225,
        (false, true) => 220,
        _ => 200,
    };
    Ok(CheckedBatch {
        service_class,
        company_name: required(&b.company_name, 16, "company name", at)?,
        discretionary: clean_text(&b.company_discretionary_data, 20),
        company_id: b.company_id.clone(),
        sec: b.sec.as_str(),
        description: required(&b.entry_description, 10, "company entry description", at)?,
        descriptive_date: clean_text(&b.company_descriptive_date, 6),
        effective: yymmdd(b.effective_entry_date),
        odfi: b.originating_dfi.clone(),
        entries,
        hash,
        debit,
        credit,
    })
}

/// Validates `file` and writes it as NACHA text. See the module
/// documentation for the layout and the choices made.
pub fn write_file(file: &AchFile) -> Result<AchOutput, NachaError> {
    let at = Location::File;
    let err = |problem| NachaError { at, problem };
    let destination = aba::validate_routing(&file.immediate_destination).map_err(|r| err(Problem::Routing(r)))?;
    let origin = match file.immediate_origin.len() {
        9 if file.immediate_origin.bytes().all(|b| b.is_ascii_digit()) => format!(" {}", file.immediate_origin),
        10 if file.immediate_origin.bytes().all(|b| b.is_ascii_alphanumeric()) => file.immediate_origin.clone(),
        _ => return Err(err(Problem::ImmediateOrigin)),
    };
    if !(file.file_id_modifier.is_ascii_uppercase() || file.file_id_modifier.is_ascii_digit()) {
        return Err(err(Problem::FileIdModifier));
    }
    if !(2000..=2099).contains(&file.created.year()) {
        return Err(err(Problem::TooMany("years: the creation date must be in 2000–2099")));
    }
    if file.batches.is_empty() {
        return Err(err(Problem::NoBatches));
    }
    if file.batches.len() > 999_999 {
        return Err(err(Problem::TooMany("batches")));
    }
    let batches = file
        .batches
        .iter()
        .enumerate()
        .map(|(i, b)| check_batch(b, i, file.created.date()))
        .collect::<Result<Vec<_>, _>>()?;
    let entry_count: u64 = batches.iter().map(|b| b.entries.len() as u64).sum();
    if u64::from(file.first_trace_sequence) + entry_count > 10_000_000 {
        return Err(err(Problem::TooMany("entries for the trace sequence: it would pass 9999999")));
    }
    if entry_count > 99_999_999 {
        return Err(err(Problem::TooMany("entries in the file")));
    }
    let total_debit = batches.iter().map(|b| b.debit).sum::<i64>();
    let total_credit = batches.iter().map(|b| b.credit).sum::<i64>();
    if total_debit > MAX_TOTAL_CENTS || total_credit > MAX_TOTAL_CENTS {
        return Err(err(Problem::Total));
    }
    let file_hash = batches.iter().map(|b| b.hash).sum::<u64>() % 10_000_000_000;

    let mut records: Vec<String> = Vec::new();
    records.push(file_header(file, destination.as_str(), &origin));
    let mut traces = Vec::new();
    let mut sequence = u64::from(file.first_trace_sequence);
    for (bi, b) in batches.iter().enumerate() {
        let batch_number = bi as u64 + 1;
        records.push(batch_header(b, batch_number));
        for (ei, e) in b.entries.iter().enumerate() {
            let trace = format!("{}{}", b.odfi, num(sequence, 7));
            sequence += 1;
            records.push(entry_detail(e, &trace));
            traces.push(EntryTrace { batch: bi, entry: ei, trace_number: trace });
        }
        records.push(batch_control(b, batch_number));
    }
    let record_count = records.len() + 1;
    let block_count = record_count.div_ceil(BLOCKING_FACTOR) as u64;
    let totals = FileTotals {
        batch_count: batches.len() as u64,
        block_count,
        entry_addenda_count: entry_count,
        entry_hash: file_hash,
        total_debit_cents: total_debit,
        total_credit_cents: total_credit,
    };
    records.push(file_control(&totals));
    while !records.len().is_multiple_of(BLOCKING_FACTOR) {
        records.push("9".repeat(RECORD_LEN));
    }
    let eol = file.line_ending.as_str();
    let mut text = String::with_capacity(records.len() * (RECORD_LEN + 2));
    for r in &records {
        debug_assert_eq!(r.len(), RECORD_LEN, "{r}");
        text.push_str(r);
        text.push_str(eol);
    }
    Ok(AchOutput { text, traces, totals })
}

/// File Header Record ("1").
fn file_header(file: &AchFile, destination: &str, origin: &str) -> String {
    let created = file.created;
    [
        "1".to_owned(),                                               // 1     record type
        "01".to_owned(),                                              // 2-3   priority code
        format!(" {destination}"),                                    // 4-13  immediate destination
        origin.to_owned(),                                            // 14-23 immediate origin
        yymmdd(created.date()),                                       // 24-29 file creation date
        format!("{:02}{:02}", created.hour(), created.minute()),      // 30-33 creation time HHMM
        file.file_id_modifier.to_string(),                            // 34    file id modifier
        "094".to_owned(),                                             // 35-37 record size
        "10".to_owned(),                                              // 38-39 blocking factor
        "1".to_owned(),                                               // 40    format code
        alpha(&clean_text(&file.immediate_destination_name, 23), 23), // 41-63 immediate destination name
        alpha(&clean_text(&file.immediate_origin_name, 23), 23),      // 64-86 immediate origin name
        alpha(&clean_text(&file.reference_code, 8), 8),               // 87-94 reference code
    ]
    .concat()
}

/// Company/Batch Header Record ("5").
fn batch_header(b: &CheckedBatch, batch_number: u64) -> String {
    [
        "5".to_owned(),                // 1     record type
        b.service_class.to_string(),   // 2-4   service class code
        alpha(&b.company_name, 16),    // 5-20  company name
        alpha(&b.discretionary, 20),   // 21-40 company discretionary data
        alpha(&b.company_id, 10),      // 41-50 company identification
        b.sec.to_owned(),              // 51-53 standard entry class
        alpha(&b.description, 10),     // 54-63 company entry description
        alpha(&b.descriptive_date, 6), // 64-69 company descriptive date
        b.effective.clone(),           // 70-75 effective entry date
        "   ".to_owned(),              // 76-78 settlement date (ACH operator fills)
        "1".to_owned(),                // 79    originator status code
        b.odfi.clone(),                // 80-87 originating DFI identification
        num(batch_number, 7),          // 88-94 batch number
    ]
    .concat()
}

/// Entry Detail Record ("6"), PPD/WEB layout.
fn entry_detail(e: &CheckedEntry, trace: &str) -> String {
    [
        "6".to_owned(),                   // 1     record type
        e.code.to_string(),               // 2-3   transaction code
        e.dfi.clone(),                    // 4-11  receiving DFI identification
        e.check.to_string(),              // 12    check digit
        alpha(&e.account, 17),            // 13-29 DFI account number
        num(e.amount.unsigned_abs(), 10), // 30-39 amount
        alpha(&e.id, 15),                 // 40-54 individual identification number
        alpha(&e.name, 22),               // 55-76 individual name
        e.discretionary.to_owned(),       // 77-78 discretionary data / payment type code
        "0".to_owned(),                   // 79    addenda record indicator
        trace.to_owned(),                 // 80-94 trace number
    ]
    .concat()
}

/// Company/Batch Control Record ("8").
fn batch_control(b: &CheckedBatch, batch_number: u64) -> String {
    [
        "8".to_owned(),                   // 1     record type
        b.service_class.to_string(),      // 2-4   service class code
        num(b.entries.len() as u64, 6),   // 5-10  entry/addenda count
        num(b.hash % 10_000_000_000, 10), // 11-20 entry hash
        num(b.debit.unsigned_abs(), 12),  // 21-32 total debit entry dollar amount
        num(b.credit.unsigned_abs(), 12), // 33-44 total credit entry dollar amount
        alpha(&b.company_id, 10),         // 45-54 company identification
        " ".repeat(19),                   // 55-73 message authentication code
        " ".repeat(6),                    // 74-79 reserved
        b.odfi.clone(),                   // 80-87 originating DFI identification
        num(batch_number, 7),             // 88-94 batch number
    ]
    .concat()
}

/// File Control Record ("9").
fn file_control(t: &FileTotals) -> String {
    [
        "9".to_owned(),                               // 1     record type
        num(t.batch_count, 6),                        // 2-7   batch count
        num(t.block_count, 6),                        // 8-13  block count
        num(t.entry_addenda_count, 8),                // 14-21 entry/addenda count
        num(t.entry_hash, 10),                        // 22-31 entry hash
        num(t.total_debit_cents.unsigned_abs(), 12),  // 32-43 total debit entry dollar amount
        num(t.total_credit_cents.unsigned_abs(), 12), // 44-55 total credit entry dollar amount
        " ".repeat(39),                               // 56-94 reserved
    ]
    .concat()
}

#[cfg(test)]
mod tests;
