//! Checks `portico_domain::loan` against figures computed independently by
//! numpy-financial and by a Python `decimal` implementation of the same
//! rounding rules (see `fixtures/generate_amortization.py`).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use portico_domain::loan::{Cents, Frequency, LoanTerms, level_payment, remaining_payments, schedule};
use rust_decimal::Decimal;
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

const AMORTIZATION: &str = include_str!("../fixtures/amortization.json");
const NPER: &str = include_str!("../fixtures/nper.json");

#[derive(Deserialize)]
struct AmortizationFile {
    source: String,
    generator: String,
    loans: Vec<Loan>,
}

#[derive(Deserialize)]
struct Loan {
    name: String,
    principal: String,
    annual_rate: String,
    frequency: String,
    periods_per_year: u32,
    periods: u32,
    first_due: String,
    numpy: Numpy,
    expected: Expected,
    half_up_differs_from_bankers: u32,
}

#[derive(Deserialize)]
struct Numpy {
    pmt: f64,
    ipmt: Vec<f64>,
    ppmt: Vec<f64>,
    balance: Vec<f64>,
}

#[derive(Deserialize)]
struct Expected {
    payment: String,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
struct Row {
    number: u32,
    due_date: String,
    payment: String,
    interest: String,
    principal: String,
    balance: String,
}

#[derive(Deserialize)]
struct NperFile {
    source: String,
    cases: Vec<NperCase>,
}

#[derive(Deserialize)]
struct NperCase {
    name: String,
    balance: String,
    annual_rate: String,
    periods_per_year: u32,
    payment: String,
    nper: Option<f64>,
    ceil_nper: Option<u32>,
    simulated: Option<u32>,
    rounding_divergence: bool,
}

fn cents(s: &str) -> Cents {
    Cents::from_decimal(s.parse::<Decimal>().unwrap()).unwrap()
}

fn date(s: &str) -> Date {
    Date::parse(s, format_description!("[year]-[month]-[day]")).unwrap()
}

fn frequency(s: &str) -> Frequency {
    match s {
        "monthly" => Frequency::Monthly,
        "semi_monthly" => Frequency::SemiMonthly,
        "bi_weekly" => Frequency::BiWeekly,
        "weekly" => Frequency::Weekly,
        "daily" => Frequency::Daily,
        other => panic!("unknown frequency {other}"),
    }
}

fn dollars(c: Cents) -> f64 {
    c.0 as f64 / 100.0
}

fn loans() -> AmortizationFile {
    let file: AmortizationFile = serde_json::from_str(AMORTIZATION).unwrap();
    assert!(file.source.contains("numpy-financial"), "fixture must name its source");
    assert_eq!(file.generator, "crates/domain/fixtures/generate_amortization.py");
    assert!(file.loans.len() >= 5);
    // Some figures are exact half cents, so the fixtures tell half-up from banker's rounding.
    assert!(file.loans.iter().map(|l| l.half_up_differs_from_bankers).sum::<u32>() >= 3);
    file
}

fn terms(loan: &Loan) -> LoanTerms {
    let f = frequency(&loan.frequency);
    assert_eq!(f.periods_per_year(), loan.periods_per_year, "{}", loan.name);
    LoanTerms::new(cents(&loan.principal), loan.annual_rate.parse().unwrap(), f, loan.periods, date(&loan.first_due))
}

#[test]
fn level_payment_equals_numpy_pmt_rounded_to_cents() {
    for loan in loans().loans {
        let t = terms(&loan);
        let ours = level_payment(t.principal, t.annual_rate, loan.periods_per_year, loan.periods).unwrap();
        assert_eq!(ours, cents(&loan.expected.payment), "{}", loan.name);
        // Half-up rounding of numpy's float payment (none of the cases is near a midpoint).
        let numpy_rounded = (loan.numpy.pmt * 100.0).round() as i64;
        assert_eq!(ours.0, numpy_rounded, "{}: numpy pmt {}", loan.name, loan.numpy.pmt);
        assert!((dollars(ours) - loan.numpy.pmt).abs() <= 0.005, "{}", loan.name);
    }
}

#[test]
fn schedule_equals_the_independent_decimal_schedule_exactly() {
    for loan in loans().loans {
        let rows = schedule(&terms(&loan)).unwrap();
        assert_eq!(rows.len(), loan.expected.rows.len(), "{}", loan.name);
        assert_eq!(rows.len(), loan.periods as usize, "{}", loan.name);
        for (ours, want) in rows.iter().zip(&loan.expected.rows) {
            let context = format!("{} row {}", loan.name, want.number);
            assert_eq!(ours.number, want.number, "{context}");
            assert_eq!(ours.due_date, date(&want.due_date), "{context}");
            assert_eq!(ours.payment, cents(&want.payment), "{context}");
            assert_eq!(ours.interest, cents(&want.interest), "{context}");
            assert_eq!(ours.principal, cents(&want.principal), "{context}");
            assert_eq!(ours.balance, cents(&want.balance), "{context}");
        }
        assert_eq!(rows.last().unwrap().balance, Cents::ZERO, "{}", loan.name);
        let principal_paid: i64 = rows.iter().map(|r| r.principal.0).sum();
        assert_eq!(principal_paid, cents(&loan.principal).0, "{}", loan.name);
    }
}

/// Our rounded figures stay within a cent per period of numpy's exact
/// (float) ones: each row's interest within 1 cent of `ipmt`, each regular
/// row's principal within 2 cents of `ppmt` (it carries the payment's and the
/// interest's rounding), and after period k the running balance, cumulative
/// interest and cumulative principal within k cents.
#[test]
fn rounded_schedule_tracks_numpy_within_a_cent_per_period() {
    for loan in loans().loans {
        let rows = schedule(&terms(&loan)).unwrap();
        let n = loan.periods as usize;
        assert_eq!((loan.numpy.ipmt.len(), loan.numpy.ppmt.len(), loan.numpy.balance.len()), (n, n, n));
        let (mut our_interest, mut numpy_interest, mut our_principal, mut numpy_principal) = (0.0, 0.0, 0.0, 0.0);
        for (k, row) in rows.iter().enumerate() {
            let period = (k + 1) as f64;
            let context = format!("{} row {}", loan.name, k + 1);
            let tolerance = 0.01 * period + 1e-6;
            assert!((dollars(row.interest) - loan.numpy.ipmt[k]).abs() <= 0.01, "{context}: interest");
            if k + 1 < n {
                assert!((dollars(row.principal) - loan.numpy.ppmt[k]).abs() <= 0.02, "{context}: principal");
            }
            our_interest += dollars(row.interest);
            numpy_interest += loan.numpy.ipmt[k];
            our_principal += dollars(row.principal);
            numpy_principal += loan.numpy.ppmt[k];
            assert!((our_interest - numpy_interest).abs() <= tolerance, "{context}: cumulative interest");
            assert!((our_principal - numpy_principal).abs() <= tolerance, "{context}: cumulative principal");
            assert!((dollars(row.balance) - loan.numpy.balance[k]).abs() <= tolerance, "{context}: balance");
        }
    }
}

#[test]
fn remaining_payments_is_ceil_of_numpy_nper() {
    let file: NperFile = serde_json::from_str(NPER).unwrap();
    assert!(file.source.contains("numpy-financial"));
    assert!(file.cases.iter().any(|c| c.nper.is_none()), "a never-repaid case is covered");
    for case in &file.cases {
        let got = remaining_payments(
            cents(&case.balance),
            case.annual_rate.parse().unwrap(),
            case.periods_per_year,
            cents(&case.payment),
        )
        .unwrap();
        // Always the simulation of our own rounding rules.
        assert_eq!(got, case.simulated, "{}", case.name);
        if case.rounding_divergence {
            // Documented: hundreds of half-cent roundings can move the count by one.
            let (got, ceil) = (got.unwrap(), case.ceil_nper.unwrap());
            assert!(got.abs_diff(ceil) == 1, "{}", case.name);
        } else {
            assert_eq!(got, case.ceil_nper, "{}", case.name);
            if let (Some(nper), Some(got)) = (case.nper, got) {
                assert_eq!(f64::from(got), nper.ceil(), "{}", case.name);
            }
        }
    }
}
