//! The NACHA files in `tests/nacha_validator/` are exactly what
//! `payment::nacha::write_file` produces today, so validating them with the
//! independent validator there (`tests/nacha_validator/run.sh`) validates the
//! writer.
//!
//! After a deliberate change to the writer, regenerate them with
//! `PORTICO_WRITE_NACHA_FIXTURES=1 cargo test -p portico-domain --test nacha_fixtures`
//! and run `run.sh` again.

use std::path::PathBuf;

use portico_domain::payment::nacha::{
    AccountType, AchBatch, AchEntry, AchFile, Direction, LineEnding, SecCode, write_file,
};
use time::macros::{date, datetime};

fn entry(direction: Direction, account_type: AccountType, routing: &str, account: &str, cents: i64) -> AchEntry {
    AchEntry {
        direction,
        account_type,
        routing: routing.into(),
        account_number: account.into(),
        amount_cents: cents,
        individual_id: String::new(),
        individual_name: String::new(),
        recurring: false,
    }
}

fn batch(sec: SecCode, description: &str, entries: Vec<AchEntry>) -> AchBatch {
    AchBatch {
        sec,
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

fn file(line_ending: LineEnding, batches: Vec<AchBatch>) -> AchFile {
    AchFile {
        immediate_destination: "121000358".into(),
        immediate_destination_name: "Bank of America".into(),
        immediate_origin: "1234567890".into(),
        immediate_origin_name: "Acme Lending".into(),
        created: datetime!(2026 - 03 - 09 14:05),
        file_id_modifier: 'A',
        reference_code: "PORTICO".into(),
        first_trace_sequence: 1,
        line_ending,
        batches,
    }
}

/// Two PPD batches: a checking and a savings debit, and a refund credit.
/// CRLF line endings; one block.
fn sample() -> String {
    let mut e1 = entry(Direction::Debit, AccountType::Checking, "021000021", "123456789", 12_345);
    e1.individual_id = "PAY-000001".into();
    e1.individual_name = "José Müller".into();
    let mut e2 = entry(Direction::Debit, AccountType::Savings, "011000015", "000987654321", 250_000);
    e2.individual_id = "PAY-000002".into();
    e2.individual_name = "Ann O’Brien-Smith the Third of Many".into();
    let mut e3 = entry(Direction::Credit, AccountType::Savings, "121000358", "5555", 999);
    e3.individual_id = "RFD-000003".into();
    e3.individual_name = "Zoë Ðaniel".into();
    let f = file(
        LineEnding::CrLf,
        vec![batch(SecCode::Ppd, "Payment", vec![e1, e2]), batch(SecCode::Ppd, "Refund", vec![e3])],
    );
    write_file(&f).expect("sample is valid").text
}

/// Three batches (PPD mixed debits and credits, WEB recurring debits, PPD
/// refunds), 130 entries, LF line endings: 14 blocks, an entry hash that
/// overflows 10 digits, and the largest amount an entry can carry.
fn large() -> String {
    let routings = ["021000021", "011000015", "121000358", "729999997", "322271627", "026009593"];
    let mut mixed = Vec::new();
    for i in 0..60_i64 {
        let direction = if i % 5 == 4 { Direction::Credit } else { Direction::Debit };
        let account_type = if i % 3 == 0 { AccountType::Savings } else { AccountType::Checking };
        let mut e =
            entry(direction, account_type, routings[(i % 6) as usize], &format!("{:08}", 10_000 + i * 7), 1 + i * 997);
        e.individual_id = format!("PAY-{i:06}");
        e.individual_name = format!("Customer Number {i} Ñandú");
        mixed.push(e);
    }
    mixed[0].amount_cents = 9_999_999_999;
    let mut web = Vec::new();
    for i in 0..50_i64 {
        let mut e = entry(Direction::Debit, AccountType::Checking, "729999997", &format!("{:017}", i), 50_000 + i);
        e.individual_id = format!("AUTO-{i:06}");
        e.individual_name = format!("AutoPay {i}");
        e.recurring = i % 2 == 0;
        web.push(e);
    }
    let mut refunds = Vec::new();
    for i in 0..20_i64 {
        let mut e =
            entry(Direction::Credit, AccountType::Checking, "021000089", &format!("{:04}", 1000 + i), 100 * i + 1);
        e.individual_id = format!("RFD-{i:06}");
        e.individual_name = format!("Refund {i}");
        refunds.push(e);
    }
    let mut web_batch = batch(SecCode::Web, "AutoPay", web);
    web_batch.effective_entry_date = date!(2026 - 03 - 11);
    let mut f = file(
        LineEnding::Lf,
        vec![batch(SecCode::Ppd, "Payment", mixed), web_batch, batch(SecCode::Ppd, "Refund", refunds)],
    );
    f.first_trace_sequence = 4_200;
    f.file_id_modifier = '7';
    write_file(&f).expect("large sample is valid").text
}

/// The sample with batch 1's entry hash (Batch Control positions 11–20)
/// changed by one: the file control and everything else stay correct.
fn corrupt_entry_hash(sample: &str) -> String {
    let mut records: Vec<String> = sample.split("\r\n").map(str::to_owned).collect();
    let control = records.iter().position(|r| r.starts_with('8')).expect("a batch control");
    assert_eq!(&records[control][10..20], "0003200003");
    records[control].replace_range(10..20, "0003200004");
    records.join("\r\n")
}

/// The sample with the first entry's amount raised by a cent: batch and file
/// totals no longer add up.
fn corrupt_amount(sample: &str) -> String {
    let mut records: Vec<String> = sample.split("\r\n").map(str::to_owned).collect();
    let entry = records.iter().position(|r| r.starts_with('6')).expect("an entry");
    assert_eq!(&records[entry][29..39], "0000012345");
    records[entry].replace_range(29..39, "0000012346");
    records.join("\r\n")
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/nacha_validator")
}

#[test]
fn validator_fixtures_are_what_the_writer_produces() {
    let sample = sample();
    let files = [
        ("sample.ach", sample.clone()),
        ("sample-large.ach", large()),
        ("invalid-entry-hash.ach", corrupt_entry_hash(&sample)),
        ("invalid-amount.ach", corrupt_amount(&sample)),
    ];
    let write = std::env::var_os("PORTICO_WRITE_NACHA_FIXTURES").is_some();
    for (name, text) in files {
        let path = dir().join(name);
        if write {
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            committed == text,
            "{name} differs from the writer's output; regenerate with PORTICO_WRITE_NACHA_FIXTURES=1 (see this file's doc)"
        );
    }
}

#[test]
fn large_sample_shape() {
    let text = large();
    let records: Vec<&str> = text.lines().collect();
    // 1 + 3 × 2 + 130 + 1 = 138 records → 140 with two filler lines.
    assert_eq!(records.len(), 140);
    assert!(records.iter().all(|r| r.len() == 94));
    assert_eq!(&records[137][7..13], "000014", "block count");
    assert_eq!(&records[138..], &["9".repeat(94), "9".repeat(94)]);
}
