//! The MyStudentData.txt parser over the committed fixtures in
//! `fixtures/student_loans/` (fictitious borrowers, laid out like real
//! downloads), plus property tests that it never panics.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::path::PathBuf;

use portico_domain::loan::Cents;
use portico_domain::student_loan::LoanKind;
use portico_domain::student_loan::data_file::{MAX_FILE_BYTES, StudentAidData, parse, parse_str};
use portico_domain::student_loan::plans::{EstimateInput, FilingStatus, LoanInput, Plan, estimate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/student_loans").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rate(s: &str) -> Option<Decimal> {
    Some(s.parse().unwrap())
}

fn check_sample(data: &StudentAidData) {
    assert_eq!(data.file_request_date, Some(date!(2026 - 04 - 30)));
    assert_eq!(data.student_first_name.as_deref(), Some("ALEX"));
    assert_eq!(data.student_last_name.as_deref(), Some("SAMPLE"));
    assert_eq!(data.loans.len(), 5);

    let sub = &data.loans[0];
    assert_eq!(sub.line, 19);
    assert_eq!(sub.kind, LoanKind::DirectSubsidized);
    assert_eq!(sub.type_description.as_deref(), Some("DIRECT STAFFORD SUBSIDIZED"));
    assert_eq!(sub.award_id.as_deref(), Some("XXXXXXXXXS16G99999001"));
    assert_eq!(sub.school.as_deref(), Some("EXAMPLE STATE UNIVERSITY"));
    assert_eq!(sub.loan_date, Some(date!(2016 - 08 - 20)));
    assert_eq!(sub.amount, Some(Cents(350_000)));
    assert_eq!(sub.disbursed_amount, Some(Cents(350_000)));
    // "as of Date" lines are separate labels and do not overwrite balances.
    assert_eq!(sub.principal_balance, Cents(312_044));
    assert_eq!(sub.interest_balance, Cents(1_185));
    assert_eq!(sub.outstanding(), Cents(313_229));
    assert_eq!(sub.rate_type.as_deref(), Some("F"));
    assert_eq!(sub.interest_rate, rate("0.0376"));
    assert_eq!(sub.repayment_plan.as_deref(), Some("IB"));
    assert_eq!(sub.statuses.len(), 3);
    assert_eq!(sub.current_status().unwrap().code, "RP");
    assert_eq!(sub.disbursements.len(), 2);
    assert_eq!(sub.disbursements[1].date, date!(2017 - 01 - 09));
    assert_eq!(sub.disbursements[1].amount, Some(Cents(175_000)));
    assert_eq!(sub.first_disbursement(), Some(date!(2016 - 08 - 22)));

    let grad_plus = &data.loans[2];
    assert_eq!(grad_plus.kind, LoanKind::DirectPlusGraduate);
    assert_eq!(grad_plus.interest_rate, rate("0.0628"));
    assert_eq!(grad_plus.outstanding(), Cents(2_145_510 + 40_266));

    let paid = &data.loans[3];
    assert_eq!(paid.outstanding(), Cents::ZERO);
    assert_eq!(paid.repayment_plan, None);
    // Latest effective date wins, whatever the order in the file.
    assert_eq!(paid.current_status().unwrap().code, "PC");

    let consolidation = &data.loans[4];
    assert_eq!(consolidation.kind, LoanKind::DirectConsolidationUnsubsidized);
    assert_eq!(consolidation.school, None);
    assert_eq!(consolidation.interest_rate, rate("0.04375"));

    // 3,132.29 + 2,324.09 + 21,857.76 + 0 + 1,983.20 = 29,297.34
    assert_eq!(data.total_outstanding(), Cents(2_929_734));
}

#[test]
fn realistic_sample() {
    check_sample(&parse(&fixture("sample.txt")).unwrap());
}

#[test]
fn crlf_and_bom_variant_parses_the_same() {
    let crlf = fixture("sample_crlf.txt");
    assert!(crlf.starts_with(b"\xEF\xBB\xBF"));
    assert!(crlf.windows(2).any(|w| w == b"\r\n"));
    let data = parse(&crlf).unwrap();
    check_sample(&data);
    assert_eq!(data, parse(&fixture("sample.txt")).unwrap());
}

#[test]
fn loans_without_disbursement_rows_and_extra_spaces() {
    let data = parse(&fixture("no_disbursements.txt")).unwrap();
    assert_eq!(data.file_request_date, Some(date!(2026 - 04 - 02)));
    assert_eq!(data.loans.len(), 2);
    let unsub = &data.loans[0];
    assert_eq!(unsub.kind, LoanKind::DirectUnsubsidized);
    assert_eq!(unsub.type_description.as_deref(), Some("DIRECT STAFFORD UNSUBSIDIZED"));
    assert_eq!(unsub.principal_balance, Cents(501_233));
    assert!(unsub.disbursements.is_empty());
    // Without disbursement rows the loan date stands in.
    assert_eq!(unsub.first_disbursement(), Some(date!(2014 - 09 - 05)));
    let parent_plus = &data.loans[1];
    assert!(parent_plus.kind.is_parent_plus());
    // An empty interest balance counts as zero.
    assert_eq!(parent_plus.interest_balance, Cents::ZERO);
    assert_eq!(parent_plus.current_status().unwrap().description.as_deref(), Some("FORBEARANCE"));
}

fn error(name: &str) -> (usize, String) {
    let e = parse(&fixture(name)).unwrap_err();
    (e.line, e.message)
}

#[test]
fn malformed_files_name_the_line() {
    let (line, message) = error("malformed_not_the_format.csv");
    assert_eq!(line, 1);
    assert!(message.contains("not a federal student aid data file"), "{message}");

    // The second loan (line 10) has an interest balance but no principal.
    let (line, message) = error("malformed_missing_balance.txt");
    assert_eq!(line, 10);
    assert!(message.contains("Loan Outstanding Principal Balance"), "{message}");

    let (line, message) = error("malformed_bad_amount.txt");
    assert_eq!(line, 4);
    assert!(message.contains("$1,2O0.00"), "{message}");

    let (line, message) = error("malformed_bad_rate.txt");
    assert_eq!(line, 4);
    assert!(message.contains("Loan Interest Rate"), "{message}");

    let (line, message) = error("malformed_bad_date.txt");
    assert_eq!(line, 5);
    assert!(message.contains("Loan Disbursement Date"), "{message}");

    let (line, _) = error("malformed_orphan_disbursement.txt");
    assert_eq!(line, 7);
}

#[test]
fn size_limit() {
    let mut big = fixture("sample.txt");
    big.resize(MAX_FILE_BYTES + 1, b'\n');
    assert_eq!(parse(&big).unwrap_err().line, 0);
}

#[test]
fn estimates_from_the_sample_file() {
    let data = parse(&fixture("sample.txt")).unwrap();
    let input = EstimateInput {
        loans: data.loans.iter().map(LoanInput::from).collect(),
        agi: Cents(4_500_000),
        family_size: 3,
        dependents: 1,
        state: "IL".into(),
        filing_status: FilingStatus::MarriedFilingJointly,
        as_of: date!(2026 - 07 - 15),
    };
    let e = estimate(&input).unwrap();
    // The paid-in-full loan is left out: 29,297.34 over four loans.
    assert_eq!(e.total_balance, Cents(2_929_734));
    // (3,132.29 × 3.76 + 2,324.09 × 3.76 + 21,857.76 × 6.28 + 1,983.20 × 4.375) / 29,297.34 = 5.6817…
    assert_eq!(e.weighted_rate_percent, "5.682".parse().unwrap());
    // Family of 3 (48 states): 15,650 + 2 × 5,500 = 26,650; × 1.5 = 39,975;
    // discretionary 45,000 − 39,975 = 5,025.
    assert_eq!(e.discretionary_income, Cents(502_500));
    let ibr = e.plans.iter().find(|p| p.plan == Plan::IncomeBased).unwrap();
    // All loans first disbursed after July 1, 2014: 10 % × 5,025 / 12 = 41.875 → 41.88
    assert_eq!(ibr.figures.as_ref().unwrap().first_payment, Cents(4_188));
    let rap = e.plans.iter().find(|p| p.plan == Plan::RepaymentAssistance).unwrap();
    // 4 % × 45,000 / 12 = 150.00 − 50 for one dependent = 100.00
    assert_eq!(rap.figures.as_ref().unwrap().first_payment, Cents(10_000));
    // 29,297.34 in Direct Loans is not more than 30,000.
    assert!(!e.plans.iter().find(|p| p.plan == Plan::Extended).unwrap().eligible);
}

const LABELS: &[&str] = &[
    "File Request Date",
    "Student First Name",
    "Loan Type Code",
    "Loan Type",
    "Loan Type Description",
    "Loan Date",
    "Loan Amount",
    "Loan Outstanding Principal Balance",
    "Loan Outstanding Interest Balance",
    "Loan Interest Rate",
    "Loan Status",
    "Loan Status Description",
    "Loan Status Effective Date",
    "Loan Disbursement Date",
    "Loan Disbursement Amount",
    "Unknown Label",
];

const VALUES: &[&str] = &[
    "",
    "D2",
    "$1,234.56",
    "$0.00",
    "-$5",
    "4.53%",
    "101%",
    "08/15/2019",
    "2/30/2020",
    "2019-08-15",
    "abc",
    "$9,999,999,999.99",
];

fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        (prop::sample::select(LABELS), prop::sample::select(VALUES), "[ \t]{0,2}", "(\r)?")
            .prop_map(|(l, v, pad, cr)| format!("{l}:{pad}{v}{cr}")),
        (prop::sample::select(LABELS), ".{0,30}").prop_map(|(l, v)| format!("{l}:{v}")),
        ".{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Arbitrary bytes never panic the parser.
    #[test]
    fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&bytes);
    }

    /// Near-miss files built from real labels and odd values never panic,
    /// and whatever parses satisfies the invariants.
    #[test]
    fn never_panics_on_label_soup(lines in prop::collection::vec(line_strategy(), 0..60)) {
        let text = lines.join("\n");
        match parse_str(&text) {
            Ok(data) => {
                prop_assert!(!data.loans.is_empty());
                for loan in &data.loans {
                    prop_assert!(loan.line >= 1 && loan.line <= lines.len());
                    prop_assert!(loan.principal_balance.0.abs() <= 10_000_000_000);
                    if let Some(rate) = loan.interest_rate {
                        prop_assert!(rate >= Decimal::ZERO && rate <= Decimal::ONE);
                    }
                }
            }
            Err(e) => prop_assert!(e.line <= lines.len().max(1) + 1, "{e}"),
        }
    }

    /// Mutating single bytes of the real sample never panics.
    #[test]
    fn never_panics_on_mutated_sample(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = fixture("sample.txt");
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = parse(&bytes);
    }
}
