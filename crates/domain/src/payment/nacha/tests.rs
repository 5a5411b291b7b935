use super::*;
use time::macros::{date, datetime};

/// Positions as the NACHA spec tables give them: 1-based, inclusive.
fn field(record: &str, from: usize, to: usize) -> &str {
    &record[from - 1..to]
}

fn entry(direction: Direction, account_type: AccountType, routing: &str, account: &str, cents: i64) -> AchEntry {
    AchEntry {
        direction,
        account_type,
        routing: routing.into(),
        account_number: account.into(),
        amount_cents: cents,
        individual_id: "PAY-1".into(),
        individual_name: "Jane Doe".into(),
        recurring: false,
    }
}

fn batch(description: &str, entries: Vec<AchEntry>) -> AchBatch {
    AchBatch {
        sec: SecCode::Ppd,
        company_name: "Acme Lending LLC".into(),
        company_discretionary_data: String::new(),
        company_id: "1234567890".into(),
        entry_description: description.into(),
        company_descriptive_date: String::new(),
        effective_entry_date: date!(2026 - 03 - 10),
        originating_dfi: "12100035".into(),
        entries,
    }
}

fn file(batches: Vec<AchBatch>) -> AchFile {
    AchFile {
        immediate_destination: "121000358".into(),
        immediate_destination_name: "Bank of America".into(),
        immediate_origin: "1234567890".into(),
        immediate_origin_name: "Acme Lending".into(),
        created: datetime!(2026 - 03 - 09 14:05),
        file_id_modifier: 'A',
        reference_code: "PORTICO".into(),
        first_trace_sequence: 1,
        line_ending: LineEnding::Lf,
        batches,
    }
}

/// Two batches: two debits (checking, savings) and a refund credit.
fn sample() -> AchFile {
    let mut e1 = entry(Direction::Debit, AccountType::Checking, "021000021", "123456789", 12_345);
    e1.individual_id = "PAY-000001".into();
    e1.individual_name = "José Müller".into();
    let mut e2 = entry(Direction::Debit, AccountType::Savings, "011000015", "000987654321", 250_000);
    e2.individual_id = "PAY-000002".into();
    e2.individual_name = "Ann O’Brien-Smith the Third of Many".into();
    let mut e3 = entry(Direction::Credit, AccountType::Checking, "121000358", "5555", 999);
    e3.individual_id = "RFD-000003".into();
    e3.individual_name = "Zoë Ðaniel".into();
    file(vec![batch("Payment", vec![e1, e2]), batch("Refund", vec![e3])])
}

fn lines(out: &AchOutput) -> Vec<&str> {
    out.text.split('\n').filter(|l| !l.is_empty()).collect()
}

#[test]
fn every_record_is_94_ascii_characters_and_blocked_by_ten() {
    let out = write_file(&sample()).unwrap();
    let records = lines(&out);
    assert_eq!(records.len(), 10);
    for r in &records {
        assert_eq!(r.len(), RECORD_LEN, "{r:?}");
        assert!(r.bytes().all(|b| (b' '..=b'~').contains(&b)), "{r:?}");
    }
    let types: String = records.iter().map(|r| &r[..1]).collect();
    assert_eq!(types, "1566856899");
    assert_eq!(records[9], "9".repeat(94));
    assert!(out.text.ends_with(&format!("{}\n", "9".repeat(94))));
}

#[test]
fn file_header_fields() {
    let out = write_file(&sample()).unwrap();
    let r = lines(&out)[0];
    assert_eq!(field(r, 1, 1), "1");
    assert_eq!(field(r, 2, 3), "01");
    assert_eq!(field(r, 4, 13), " 121000358");
    assert_eq!(field(r, 14, 23), "1234567890");
    assert_eq!(field(r, 24, 29), "260309");
    assert_eq!(field(r, 30, 33), "1405");
    assert_eq!(field(r, 34, 34), "A");
    assert_eq!(field(r, 35, 37), "094");
    assert_eq!(field(r, 38, 39), "10");
    assert_eq!(field(r, 40, 40), "1");
    assert_eq!(field(r, 41, 63), "BANK OF AMERICA        ");
    assert_eq!(field(r, 64, 86), "ACME LENDING           ");
    assert_eq!(field(r, 87, 94), "PORTICO ");
    // The whole record, as a person checking it by eye would see it.
    assert_eq!(r, "101 12100035812345678902603091405A094101BANK OF AMERICA        ACME LENDING           PORTICO ");
}

#[test]
fn immediate_origin_of_nine_digits_gets_a_leading_space() {
    let mut f = sample();
    f.immediate_origin = "121000358".into();
    let out = write_file(&f).unwrap();
    assert_eq!(field(lines(&out)[0], 14, 23), " 121000358");
    for bad in ["12100035", "12345678901", "12345 7890", "12345678é"] {
        f.immediate_origin = bad.into();
        assert_eq!(write_file(&f).unwrap_err().problem, Problem::ImmediateOrigin, "{bad}");
    }
}

#[test]
fn batch_header_fields() {
    let out = write_file(&sample()).unwrap();
    let r = lines(&out)[1];
    assert_eq!(field(r, 1, 1), "5");
    assert_eq!(field(r, 2, 4), "225", "debits only");
    assert_eq!(field(r, 5, 20), "ACME LENDING LLC");
    assert_eq!(field(r, 21, 40), " ".repeat(20));
    assert_eq!(field(r, 41, 50), "1234567890");
    assert_eq!(field(r, 51, 53), "PPD");
    assert_eq!(field(r, 54, 63), "PAYMENT   ");
    assert_eq!(field(r, 64, 69), "      ");
    assert_eq!(field(r, 70, 75), "260310");
    assert_eq!(field(r, 76, 78), "   ", "settlement date is left to the ACH operator");
    assert_eq!(field(r, 79, 79), "1");
    assert_eq!(field(r, 80, 87), "12100035");
    assert_eq!(field(r, 88, 94), "0000001");
    let r2 = lines(&out)[5];
    assert_eq!(field(r2, 2, 4), "220", "credits only");
    assert_eq!(field(r2, 54, 63), "REFUND    ");
    assert_eq!(field(r2, 88, 94), "0000002");
}

#[test]
fn entry_detail_fields() {
    let out = write_file(&sample()).unwrap();
    let recs = lines(&out);
    let r = recs[2];
    assert_eq!(field(r, 1, 1), "6");
    assert_eq!(field(r, 2, 3), "27", "checking debit");
    assert_eq!(field(r, 4, 11), "02100002");
    assert_eq!(field(r, 12, 12), "1");
    assert_eq!(field(r, 13, 29), "123456789        ");
    assert_eq!(field(r, 30, 39), "0000012345");
    assert_eq!(field(r, 40, 54), "PAY-000001     ");
    assert_eq!(field(r, 55, 76), "JOSE MULLER           ");
    assert_eq!(field(r, 77, 78), "  ");
    assert_eq!(field(r, 79, 79), "0");
    assert_eq!(field(r, 80, 94), "121000350000001");
    assert_eq!(r, "627021000021123456789        0000012345PAY-000001     JOSE MULLER             0121000350000001");

    let r = recs[3];
    assert_eq!(field(r, 2, 3), "37", "savings debit");
    assert_eq!(field(r, 4, 12), "011000015");
    assert_eq!(field(r, 13, 29), "000987654321     ", "leading zeros kept");
    assert_eq!(field(r, 30, 39), "0000250000");
    assert_eq!(field(r, 55, 76), "ANN O'BRIEN-SMITH THE ", "transliterated, truncated to 22");
    assert_eq!(field(r, 80, 94), "121000350000002");

    let r = recs[6];
    assert_eq!(field(r, 2, 3), "22", "checking credit");
    assert_eq!(field(r, 4, 12), "121000358");
    assert_eq!(field(r, 13, 29), "5555             ");
    assert_eq!(field(r, 30, 39), "0000000999");
    assert_eq!(field(r, 40, 54), "RFD-000003     ");
    assert_eq!(field(r, 55, 76), "ZOE DANIEL            ");
    assert_eq!(field(r, 80, 94), "121000350000003", "sequence runs through the file");

    let traces: Vec<_> = out.traces.iter().map(|t| (t.batch, t.entry, t.trace_number.as_str())).collect();
    assert_eq!(traces, vec![(0, 0, "121000350000001"), (0, 1, "121000350000002"), (1, 0, "121000350000003")]);
}

#[test]
fn transaction_codes() {
    assert_eq!(transaction_code(Direction::Debit, AccountType::Checking), 27);
    assert_eq!(transaction_code(Direction::Debit, AccountType::Savings), 37);
    assert_eq!(transaction_code(Direction::Credit, AccountType::Checking), 22);
    assert_eq!(transaction_code(Direction::Credit, AccountType::Savings), 32);
    let f =
        file(vec![batch("Refund", vec![entry(Direction::Credit, AccountType::Savings, "021000021", "12345", 100)])]);
    assert_eq!(field(lines(&write_file(&f).unwrap())[2], 2, 3), "32");
}

#[test]
fn batch_control_fields_and_hash() {
    let out = write_file(&sample()).unwrap();
    let recs = lines(&out);
    let r = recs[4];
    assert_eq!(field(r, 1, 1), "8");
    assert_eq!(field(r, 2, 4), "225");
    assert_eq!(field(r, 5, 10), "000002");
    // 02100002 + 01100001 = 3200003.
    assert_eq!(field(r, 11, 20), "0003200003");
    assert_eq!(field(r, 21, 32), "000000262345");
    assert_eq!(field(r, 33, 44), "000000000000");
    assert_eq!(field(r, 45, 54), "1234567890");
    assert_eq!(field(r, 55, 73), " ".repeat(19));
    assert_eq!(field(r, 74, 79), " ".repeat(6));
    assert_eq!(field(r, 80, 87), "12100035");
    assert_eq!(field(r, 88, 94), "0000001");
    let r = recs[7];
    assert_eq!(field(r, 2, 4), "220");
    assert_eq!(field(r, 5, 10), "000001");
    assert_eq!(field(r, 11, 20), "0012100035");
    assert_eq!(field(r, 21, 32), "000000000000");
    assert_eq!(field(r, 33, 44), "000000000999");
    assert_eq!(field(r, 88, 94), "0000002");
}

#[test]
fn file_control_fields() {
    let out = write_file(&sample()).unwrap();
    let r = lines(&out)[8];
    assert_eq!(field(r, 1, 1), "9");
    assert_eq!(field(r, 2, 7), "000002");
    assert_eq!(field(r, 8, 13), "000001");
    assert_eq!(field(r, 14, 21), "00000003");
    // 3200003 + 12100035.
    assert_eq!(field(r, 22, 31), "0015300038");
    assert_eq!(field(r, 32, 43), "000000262345");
    assert_eq!(field(r, 44, 55), "000000000999");
    assert_eq!(field(r, 56, 94), " ".repeat(39));
    assert_eq!(
        out.totals,
        FileTotals {
            batch_count: 2,
            block_count: 1,
            entry_addenda_count: 3,
            entry_hash: 15_300_038,
            total_debit_cents: 262_345,
            total_credit_cents: 999,
        }
    );
}

#[test]
fn mixed_batch_is_service_class_200() {
    let f = file(vec![batch(
        "Payment",
        vec![
            entry(Direction::Debit, AccountType::Checking, "021000021", "12345", 500),
            entry(Direction::Credit, AccountType::Checking, "021000021", "12345", 200),
        ],
    )]);
    let out = write_file(&f).unwrap();
    let recs = lines(&out);
    assert_eq!(field(recs[1], 2, 4), "200");
    assert_eq!(field(recs[4], 2, 4), "200");
    assert_eq!(field(recs[4], 21, 32), "000000000500");
    assert_eq!(field(recs[4], 33, 44), "000000000200");
}

#[test]
fn padding_and_block_count() {
    let e = || entry(Direction::Debit, AccountType::Checking, "021000021", "12345", 100);
    // 1 batch with n entries is 4 + n records.
    for (n, records, blocks) in [(1, 10, 1), (5, 10, 1), (6, 10, 1), (7, 20, 2), (16, 20, 2), (17, 30, 3)] {
        let out = write_file(&file(vec![batch("Payment", (0..n).map(|_| e()).collect())])).unwrap();
        let recs = lines(&out);
        assert_eq!(recs.len(), records, "{n} entries");
        assert_eq!(out.totals.block_count, blocks);
        let control = recs.iter().position(|r| r.starts_with('9') && *r != "9".repeat(94)).unwrap();
        assert_eq!(control, 4 + n - 1, "file control right after the batch");
        assert_eq!(field(recs[control], 8, 13), format!("{blocks:06}"));
        assert!(recs[control + 1..].iter().all(|r| *r == "9".repeat(94)));
        assert_eq!(records - (control + 1), (10 - (4 + n) % 10) % 10, "{n}: filler count");
    }
}

#[test]
fn entry_hash_keeps_rightmost_ten_digits() {
    // 72999999 × 200 = 14 599 999 800 → 4599999800.
    let e = || entry(Direction::Debit, AccountType::Checking, "729999997", "12345", 1);
    let out = write_file(&file(vec![batch("Payment", (0..200).map(|_| e()).collect())])).unwrap();
    let recs = lines(&out);
    assert_eq!(field(recs[202], 11, 20), "4599999800");
    assert_eq!(field(recs[203], 22, 31), "4599999800");
    assert_eq!(out.totals.entry_hash, 4_599_999_800);
}

#[test]
fn crlf_line_endings() {
    let mut f = sample();
    f.line_ending = LineEnding::CrLf;
    let out = write_file(&f).unwrap();
    assert_eq!(out.text.len(), 10 * 96);
    assert!(out.text.split_terminator("\r\n").all(|r| r.len() == 94 && !r.contains('\n')));
    assert!(out.text.ends_with("\r\n"));
    assert_eq!(LineEnding::default(), LineEnding::CrLf);
}

#[test]
fn web_batches() {
    let mut b = batch("Payment", vec![entry(Direction::Debit, AccountType::Checking, "021000021", "12345", 100)]);
    b.sec = SecCode::Web;
    b.entries[0].recurring = true;
    let mut single = b.entries[0].clone();
    single.recurring = false;
    b.entries.push(single);
    let out = write_file(&file(vec![b.clone()])).unwrap();
    let recs = lines(&out);
    assert_eq!(field(recs[1], 51, 53), "WEB");
    assert_eq!(field(recs[2], 77, 78), "R ");
    assert_eq!(field(recs[3], 77, 78), "S ");
    b.entries[1].direction = Direction::Credit;
    let err = write_file(&file(vec![b])).unwrap_err();
    assert_eq!(err, NachaError { at: Location::Entry { batch: 1, entry: 2 }, problem: Problem::WebCredit });
}

#[test]
fn amounts_must_fit_ten_digits() {
    let mut f = sample();
    f.batches[0].entries[1].amount_cents = MAX_ENTRY_CENTS;
    let out = write_file(&f).unwrap();
    assert_eq!(field(lines(&out)[3], 30, 39), "9999999999");
    assert_eq!(field(lines(&out)[4], 21, 32), "010000012344");
    for bad in [0, -1, MAX_ENTRY_CENTS + 1, i64::MAX, i64::MIN] {
        f.batches[0].entries[1].amount_cents = bad;
        let err = write_file(&f).unwrap_err();
        assert_eq!(err, NachaError { at: Location::Entry { batch: 1, entry: 2 }, problem: Problem::Amount });
        assert_eq!(err.to_string(), "batch 1, entry 2: the amount must be between $0.01 and $99,999,999.99");
    }
}

#[test]
fn totals_must_fit_twelve_digits() {
    let e = || entry(Direction::Debit, AccountType::Checking, "021000021", "12345", MAX_ENTRY_CENTS);
    // 100 × 9 999 999 999 = 999 999 999 900: fits.
    assert!(write_file(&file(vec![batch("Payment", (0..100).map(|_| e()).collect())])).is_ok());
    let mut entries: Vec<_> = (0..100).map(|_| e()).collect();
    entries.push(entry(Direction::Debit, AccountType::Checking, "021000021", "12345", 100));
    let err = write_file(&file(vec![batch("Payment", entries)])).unwrap_err();
    assert_eq!(err.problem, Problem::Total);
    // Two batches each within the limit, file total over it.
    let b = batch("Payment", (0..100).map(|_| e()).collect());
    let err = write_file(&file(vec![b.clone(), b])).unwrap_err();
    assert_eq!(err, NachaError { at: Location::File, problem: Problem::Total });
}

#[test]
fn names_are_transliterated_and_truncated_not_rejected() {
    assert_eq!(clean_text("José Müller", 22), "JOSE MULLER");
    assert_eq!(clean_text("Søren Kierkegaard-Østergaard Jr.", 22), "SOREN KIERKEGAARD-OSTE");
    assert_eq!(clean_text("Straße Œuvre Ĳssel", 40), "STRASSE OEUVRE IJSSEL");
    assert_eq!(clean_text("Ștefan Țurcan", 22), "STEFAN TURCAN");
    assert_eq!(clean_text("“Bob” — O’Neil…", 22), "\"BOB\" - O'NEIL...");
    assert_eq!(clean_text("a\tb\n\u{0}c\u{a0}d", 22), "A B C D", "control characters and NBSP become spaces");
    assert_eq!(clean_text("王伟 Wang Wei 🙂", 22), "WANG WEI", "unmappable characters dropped");
    assert_eq!(clean_text("abcdefghij klm", 11), "ABCDEFGHIJ", "no trailing space after truncation");
    assert_eq!(clean_text("", 22), "");
    let mut f = sample();
    f.batches[0].entries[0].individual_name = "王伟".into();
    assert_eq!(
        write_file(&f).unwrap_err(),
        NachaError { at: Location::Entry { batch: 1, entry: 1 }, problem: Problem::Empty("individual name") }
    );
    let mut f = sample();
    f.batches[0].company_name = "Ünïcödé Lending Company of America".into();
    f.batches[0].entry_description = "Loan payment".into();
    f.immediate_destination_name = "A very long bank name that will not fit".into();
    let out = write_file(&f).unwrap();
    let recs = lines(&out);
    assert_eq!(field(recs[0], 41, 63), "A VERY LONG BANK NAME T");
    assert_eq!(field(recs[1], 5, 20), "UNICODE LENDING ");
    assert_eq!(field(recs[1], 54, 63), "LOAN PAYME");
}

#[test]
fn individual_id_is_kept_exactly_or_refused() {
    let mut f = sample();
    f.batches[0].entries[0].individual_id = "pay-0123456789x".into();
    let out = write_file(&f).unwrap();
    assert_eq!(field(lines(&out)[2], 40, 54), "pay-0123456789x");
    for bad in ["pay-0123456789xy", "PAY-é"] {
        f.batches[0].entries[0].individual_id = bad.into();
        assert_eq!(write_file(&f).unwrap_err().problem, Problem::IndividualId, "{bad}");
    }
    f.batches[0].entries[0].individual_id = String::new();
    assert_eq!(field(lines(&write_file(&f).unwrap())[2], 40, 54), " ".repeat(15), "optional in PPD");
}

#[test]
fn invalid_inputs_name_where_and_what() {
    let at_entry = Location::Entry { batch: 1, entry: 1 };
    type Change = Box<dyn Fn(&mut AchFile)>;
    let cases: Vec<(Change, NachaError)> = vec![
        (
            Box::new(|f| f.immediate_destination = "121000359".into()),
            NachaError { at: Location::File, problem: Problem::Routing(RoutingError::Checksum) },
        ),
        (
            Box::new(|f| f.batches[0].entries[0].routing = "02100002".into()),
            NachaError { at: at_entry, problem: Problem::Routing(RoutingError::Length) },
        ),
        (
            Box::new(|f| f.batches[0].entries[0].account_number = "12".into()),
            NachaError { at: at_entry, problem: Problem::Account(AccountError::Length) },
        ),
        (
            Box::new(|f| f.batches[0].originating_dfi = "121000358".into()),
            NachaError { at: Location::Batch(1), problem: Problem::OriginatingDfi },
        ),
        (
            Box::new(|f| f.batches[1].company_id = "12345678901".into()),
            NachaError { at: Location::Batch(2), problem: Problem::CompanyId },
        ),
        (
            Box::new(|f| f.batches[1].company_id = String::new()),
            NachaError { at: Location::Batch(2), problem: Problem::CompanyId },
        ),
        (Box::new(|f| f.file_id_modifier = 'a'), NachaError { at: Location::File, problem: Problem::FileIdModifier }),
        (Box::new(|f| f.batches.clear()), NachaError { at: Location::File, problem: Problem::NoBatches }),
        (
            Box::new(|f| f.batches[1].entries.clear()),
            NachaError { at: Location::Batch(2), problem: Problem::NoEntries },
        ),
        (
            Box::new(|f| f.batches[0].effective_entry_date = date!(2026 - 03 - 08)),
            NachaError { at: Location::Batch(1), problem: Problem::EffectiveDate },
        ),
        (
            Box::new(|f| f.batches[0].company_name = " ".into()),
            NachaError { at: Location::Batch(1), problem: Problem::Empty("company name") },
        ),
        (
            Box::new(|f| f.batches[0].entry_description = String::new()),
            NachaError { at: Location::Batch(1), problem: Problem::Empty("company entry description") },
        ),
        (
            Box::new(|f| f.first_trace_sequence = 9_999_998),
            NachaError {
                at: Location::File,
                problem: Problem::TooMany("entries for the trace sequence: it would pass 9999999"),
            },
        ),
        (
            Box::new(|f| f.created = datetime!(2100 - 01 - 01 0:00)),
            NachaError {
                at: Location::File,
                problem: Problem::TooMany("years: the creation date must be in 2000–2099"),
            },
        ),
    ];
    for (i, (change, expected)) in cases.into_iter().enumerate() {
        let mut f = sample();
        change(&mut f);
        assert_eq!(write_file(&f), Err(expected), "case {i}");
    }
    // Same-day effective date is fine; the last trace sequence fits exactly.
    let mut f = sample();
    f.batches[0].effective_entry_date = date!(2026 - 03 - 09);
    f.first_trace_sequence = 9_999_997;
    let out = write_file(&f).unwrap();
    assert_eq!(out.traces[2].trace_number, "121000359999999");
}
