use super::*;
use time::macros::date;

// A return file as an RDFI's bank sends it back, written out field by field
// (positions from the NACHA spec) so each literal can be checked by eye.
const HEADER: &str = concat!(
    "1",
    "01",
    " 121000358",
    " 021000021",
    "260312",
    "0615",
    "A",
    "094",
    "10",
    "1",
    "BANK OF AMERICA        ",
    "JPMORGAN CHASE         ",
    "        ",
);
const BATCH: &str = concat!(
    "5",
    "225",
    "ACME LENDING LLC",
    "                    ",
    "1234567890",
    "PPD",
    "PAYMENT   ",
    "      ",
    "260312",
    "   ",
    "1",
    "02100002",
    "0000001",
);
// Entry: 26 = return of a checking debit, RDFI 02100002 check 1, account,
// amount $123.45, individual id, name, discretionary, addenda indicator 1,
// the return's own trace number.
const ENTRY_1: &str = concat!(
    "6",
    "26",
    "02100002",
    "1",
    "123456789        ",
    "0000012345",
    "PAY-000001     ",
    "JOSE MULLER           ",
    "  ",
    "1",
    "021000020000001",
);
// Addenda 99: R01, original trace, no date of death, original RDFI, info,
// trace number.
const ADDENDA_1: &str = concat!(
    "7",
    "99",
    "R01",
    "121000350000001",
    "      ",
    "02100002",
    "                                            ",
    "021000020000001",
);
const ENTRY_2: &str = concat!(
    "6",
    "36",
    "01100001",
    "5",
    "000987654321     ",
    "0000250000",
    "PAY-000002     ",
    "ANN O'BRIEN-SMITH THE ",
    "  ",
    "1",
    "021000020000002",
);
const ADDENDA_2: &str = concat!(
    "7",
    "99",
    "R15",
    "121000350000002",
    "260301",
    "01100001",
    "ACCOUNT HOLDER DECEASED                     ",
    "021000020000002",
);
const CONTROL: &str = concat!(
    "8",
    "225",
    "000004",
    "0003200003",
    "000000262345",
    "000000000000",
    "1234567890",
    "                   ",
    "      ",
    "02100002",
    "0000001",
);
const FILE_CONTROL: &str = concat!(
    "9",
    "000001",
    "000001",
    "00000004",
    "0003200003",
    "000000262345",
    "000000000000",
    "                                       ",
);

fn return_file(eol: &str) -> String {
    let nines = "9".repeat(94);
    [HEADER, BATCH, ENTRY_1, ADDENDA_1, ENTRY_2, ADDENDA_2, CONTROL, FILE_CONTROL, &nines, &nines]
        .iter()
        .map(|r| format!("{r}{eol}"))
        .collect()
}

#[test]
fn fixture_records_are_94_characters() {
    for r in [HEADER, BATCH, ENTRY_1, ADDENDA_1, ENTRY_2, ADDENDA_2, CONTROL, FILE_CONTROL] {
        assert_eq!(r.len(), 94, "{r}");
    }
}

#[test]
fn nacha_return_file() {
    for eol in ["\n", "\r\n"] {
        let returns = parse_returns(&return_file(eol)).unwrap();
        assert_eq!(
            returns,
            vec![
                Return {
                    line: 4,
                    original_trace: "121000350000001".into(),
                    code: ReturnCode::INSUFFICIENT_FUNDS,
                    date: Some(date!(2026 - 03 - 12)),
                    date_of_death: None,
                    amount_cents: Some(12_345),
                    individual_id: Some("PAY-000001".into()),
                    original_rdfi: Some("02100002".into()),
                    addenda_information: None,
                },
                Return {
                    line: 6,
                    original_trace: "121000350000002".into(),
                    code: ReturnCode::parse("R15").unwrap(),
                    date: Some(date!(2026 - 03 - 12)),
                    date_of_death: Some(date!(2026 - 03 - 01)),
                    amount_cents: Some(250_000),
                    individual_id: Some("PAY-000002".into()),
                    original_rdfi: Some("01100001".into()),
                    addenda_information: Some("ACCOUNT HOLDER DECEASED".into()),
                },
            ]
        );
    }
}

#[test]
fn nacha_entries_and_addenda_alone_and_trimmed_lines() {
    // Only entry + addenda records, trailing spaces lost in transit.
    let text = format!("{}\n{}\n", ENTRY_1, ADDENDA_1.trim_end());
    let returns = parse_returns(&text).unwrap();
    assert_eq!(returns.len(), 1);
    assert_eq!(returns[0].date, None, "no batch header, no date");
    assert_eq!(returns[0].code.as_code(), "R01");
}

#[test]
fn notifications_of_change_are_skipped() {
    let noc = concat!(
        "7",
        "98",
        "C01",
        "121000350000001",
        "      ",
        "02100002",
        "1234567890123                ",
        "               ",
        "021000020000003",
    );
    assert_eq!(noc.len(), 94);
    let text = [ENTRY_1, noc, ENTRY_2, ADDENDA_2].join("\n");
    let returns = parse_returns(&text).unwrap();
    assert_eq!(returns.len(), 1);
    assert_eq!(returns[0].code.as_code(), "R15");
}

fn nacha_error(lines: &[&str]) -> ParseError {
    parse_returns(&lines.join("\n")).unwrap_err()
}

#[test]
fn nacha_errors_give_line_and_reason() {
    let bad_code = ADDENDA_1.replace("R01", "X01");
    let e = nacha_error(&[HEADER, BATCH, ENTRY_1, &bad_code]);
    assert_eq!(e, ParseError { line: 4, message: "the return reason code 'X01' isn't a code like R01".into() });
    assert_eq!(e.to_string(), "line 4: the return reason code 'X01' isn't a code like R01");

    let bad_trace = ADDENDA_1.replace("121000350000001", "12100035000000A");
    assert_eq!(
        nacha_error(&[ENTRY_1, &bad_trace]).message,
        "the original trace number '12100035000000A' isn't 15 digits"
    );

    let bad_death = ADDENDA_2.replace("260301", "261345");
    assert_eq!(nacha_error(&[ENTRY_2, &bad_death]).message, "the date of death '261345' isn't a date (YYMMDD)");

    let bad_rdfi = ADDENDA_1.replace("R01121000350000001      02100002", "R01121000350000001      0210000X");
    assert_eq!(nacha_error(&[ENTRY_1, &bad_rdfi]).message, "the original receiving DFI '0210000X' isn't 8 digits");

    let bad_amount = ENTRY_1.replace("0000012345", "00000123.5");
    let e = nacha_error(&[HEADER, &bad_amount, ADDENDA_1]);
    assert_eq!((e.line, e.message.as_str()), (2, "the amount '00000123.5' (positions 30–39) isn't 10 digits"));

    let e = nacha_error(&[HEADER, ENTRY_1, ENTRY_2, ADDENDA_2]);
    assert_eq!(
        e,
        ParseError {
            line: 2,
            message: "this entry has no return addenda record (type 7, addenda type 99) after it".into()
        }
    );
    let e = nacha_error(&[ENTRY_1, ADDENDA_1, ENTRY_2]);
    assert_eq!(e.line, 3, "entry at the end without its addenda");
    let e = nacha_error(&[ENTRY_1, CONTROL]);
    assert_eq!(e.line, 1);

    let e = nacha_error(&[HEADER, ADDENDA_1]);
    assert_eq!(
        e,
        ParseError { line: 2, message: "an addenda record must follow an entry detail record (type 6)".into() }
    );

    let other_addenda = ADDENDA_1.replacen("799", "705", 1);
    assert_eq!(
        nacha_error(&[ENTRY_1, &other_addenda]).message,
        "addenda type '05' isn't a return (returns have addenda type 99)"
    );

    let long = format!("{ADDENDA_1} ");
    let e = nacha_error(&[ENTRY_1, &long]);
    assert_eq!(e, ParseError { line: 2, message: "the record is 95 characters long; NACHA records are 94".into() });

    let e = nacha_error(&[HEADER, &ENTRY_1.replacen('6', "4", 1)]);
    assert_eq!(e.message, "'4' isn't a NACHA record type (1, 5, 6, 7, 8 or 9)");

    let accented = ENTRY_1.replace("JOSE MULLER", "JOSÉ MULLER");
    let e = nacha_error(&[HEADER, &accented, ADDENDA_1]);
    assert_eq!(e.line, 2);
    assert!(e.message.contains("plain ASCII"), "{}", e.message);

    // Blank lines count in line numbers but are otherwise skipped.
    let text = format!("{HEADER}\n\n{ENTRY_1}\n\n{bad_code}\n");
    assert_eq!(parse_returns(&text).unwrap_err().line, 5);
}

#[test]
fn csv_reports() {
    let text = "trace_number,return_code,date\n\
                121000350000001,R01,2026-03-12\n\
                \n\
                \"121000350000002\", r02 ,\n\
                121000350000003,R16,03/13/2026\r\n";
    let returns = parse_returns(text).unwrap();
    let got: Vec<_> = returns.iter().map(|r| (r.line, r.original_trace.as_str(), r.code.as_code(), r.date)).collect();
    assert_eq!(
        got,
        vec![
            (2, "121000350000001", "R01".to_owned(), Some(date!(2026 - 03 - 12))),
            (4, "121000350000002", "R02".to_owned(), None),
            (5, "121000350000003", "R16".to_owned(), Some(date!(2026 - 03 - 13))),
        ]
    );
    assert!(returns.iter().all(|r| r.amount_cents.is_none() && r.individual_id.is_none()));
    // No header; BOM; two columns.
    let returns = parse_returns("\u{feff}121000350000001,R09\n").unwrap();
    assert_eq!(returns[0].code, ReturnCode::UNCOLLECTED_FUNDS);
    assert_eq!(returns[0].line, 1);
    assert_eq!(parse_returns("").unwrap(), vec![]);
    assert_eq!(parse_returns("\n \r\n").unwrap(), vec![]);
    assert_eq!(parse_returns("trace,code\n").unwrap(), vec![], "header only");
}

#[test]
fn csv_errors_give_line_and_reason() {
    let cases = [
        ("121000350000001,R01\n12100035000002,R01", 2, "the trace number '12100035000002' isn't 15 digits"),
        ("121000350000001,R1", 1, "the return code 'R1' isn't a code like R01"),
        ("121000350000001,R00", 1, "the return code 'R00' isn't a code like R01"),
        ("121000350000001", 1, "expected trace_number,return_code[,date] but found 1 field"),
        ("121000350000001,R01,2026-03-12,x", 1, "expected trace_number,return_code[,date] but found 4 fields"),
        ("121000350000001,R01,2026-02-30", 1, "the date '2026-02-30' isn't a date like 2026-03-10"),
        ("trace,code\ntrace,code", 2, "the trace number 'trace' isn't 15 digits"),
    ];
    // A first line whose first field has letters is a header, so a lone
    // such line yields nothing rather than an error.
    assert_eq!(parse_returns("x,R01").unwrap(), vec![]);
    for (text, line, message) in cases {
        assert_eq!(parse_returns(text), Err(ParseError { line, message: message.into() }), "{text}");
    }
}

#[test]
fn return_code_table() {
    for n in [1, 2, 3, 4, 5, 7, 8, 9, 10, 16, 20, 29] {
        let code = ReturnCode::parse(&format!("R{n:02}")).unwrap();
        assert!(code.is_known(), "{code}");
        assert_eq!(code.number(), n);
        assert!(!code.description().is_empty());
        assert!(code.description().ends_with('.'));
    }
    assert_eq!(ReturnCode::INSUFFICIENT_FUNDS.title(), "Insufficient funds");
    assert_eq!(ReturnCode::ACCOUNT_CLOSED.title(), "Account closed");
    assert_eq!(ReturnCode::NO_ACCOUNT.title(), "No account/unable to locate account");
    assert_eq!(ReturnCode::PAYMENT_STOPPED.title(), "Payment stopped");
    assert_eq!(ReturnCode::ACCOUNT_FROZEN.title(), "Account frozen");
    assert_eq!(ReturnCode::NON_TRANSACTION_ACCOUNT.title(), "Non-transaction account");
    assert_eq!(ReturnCode::parse("r29").unwrap().to_string(), "R29");
    let unknown = ReturnCode::parse("R85").unwrap();
    assert!(!unknown.is_known());
    assert_eq!(unknown.title(), "Other return");
    assert_eq!(unknown.description(), "Your bank returned the payment.");
    assert!(ReturnCode::INSUFFICIENT_FUNDS.may_retry() && ReturnCode::UNCOLLECTED_FUNDS.may_retry());
    assert!(!ReturnCode::ACCOUNT_CLOSED.may_retry());
    assert!(ReturnCode::ACCOUNT_CLOSED.blocks_account() && ReturnCode::NOT_AUTHORIZED.blocks_account());
    assert!(!ReturnCode::INSUFFICIENT_FUNDS.blocks_account());
    for bad in ["", "R", "R1", "R001", "01", "RO1", "R-1", "Ｒ01", "R١٢"] {
        assert_eq!(ReturnCode::parse(bad), None, "{bad}");
    }
    // Every table row is distinct and sorted.
    assert!(CODES.windows(2).all(|w| w[0].0 < w[1].0));
}

/// xorshift64*: a deterministic source of "random" input, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn never_panics_on_random_bytes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5_000 {
        let len = rng.below(400);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let _ = parse_returns(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn never_panics_on_near_valid_input() {
    // Mutations of real inputs reach far deeper into the parser than random
    // bytes: change, delete and insert characters (from an alphabet that
    // matters to it, plus multi-byte ones), cut and duplicate lines.
    let alphabet: Vec<char> = "0123456789R9 ,\"\r\n-/76518é€🙂\u{feff}".chars().collect();
    let seeds = [
        return_file("\n"),
        return_file("\r\n"),
        "trace_number,return_code,date\n121000350000001,R01,2026-03-12\n121000350000002,R02\n".to_owned(),
    ];
    let mut rng = Rng(42);
    let mut parsed_ok = 0;
    for round in 0..20_000 {
        let mut chars: Vec<char> = seeds[round % seeds.len()].chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(chars.len() + 1);
            match rng.below(4) {
                0 if at < chars.len() => chars[at] = alphabet[rng.below(alphabet.len())],
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                2 => chars.insert(at, alphabet[rng.below(alphabet.len())]),
                _ => {
                    let cut = rng.below(chars.len() + 1);
                    chars.truncate(cut.max(at.min(chars.len())));
                }
            }
        }
        let text: String = chars.into_iter().collect();
        match parse_returns(&text) {
            Ok(returns) => {
                parsed_ok += 1;
                for r in returns {
                    assert_eq!(r.original_trace.len(), 15);
                    assert!(r.code.number() >= 1);
                }
            }
            Err(e) => {
                assert!(e.line >= 1 && e.line <= text.split('\n').count(), "{e} for {text:?}");
                assert!(!e.message.is_empty());
            }
        }
    }
    // The mutations must leave some inputs valid, or the test proves little.
    assert!(parsed_ok > 100, "{parsed_ok}");
}
