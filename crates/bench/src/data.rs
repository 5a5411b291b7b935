//! Rows of a synthetic lender: contacts, onboarded portal users, accounts
//! (mostly installment loans, some leases, lines of credit and cash
//! advances), their ledgers and line-of-credit statements.
//!
//! The ledger follows docs/decisions.md §14: balances are sums of the signed
//! deltas of `posted` transactions; interest assessed on a due date adds
//! interest, a fee adds fees, a payment subtracts what the allocation gives
//! each bucket (fees, then interest, then principal); returned payments and
//! reversed fees leave the sums. Amounts are computed with integer cents and
//! the domain's level payment, so figures look like the portal's own.
//!
//! Generation is deterministic for a given customer index and `today`.

use portico_app::demo::accounts::Rng;
use portico_domain::loan::{self, Cents, Frequency, MinimumPaymentRule};
use rust_decimal::Decimal;
use time::{Date, Duration, Weekday};

/// One value of a row, for the backend writers.
pub enum Val<'a> {
    I(i64),
    S(&'a str),
    N,
}

fn opt_s(v: &Option<String>) -> Val<'_> {
    v.as_deref().map(Val::S).unwrap_or(Val::N)
}

fn opt_i(v: Option<i64>) -> Val<'static> {
    v.map(Val::I).unwrap_or(Val::N)
}

/// A table the writers can bulk-load.
pub trait Row {
    const TABLE: &'static str;
    const COLS: &'static [&'static str];
    fn push_vals<'a>(&'a self, out: &mut Vec<Val<'a>>);
}

pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub struct ContactRow {
    pub id: i64,
    pub company_id: i64,
    pub external_id: String,
    pub customer_number: String,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: String,
    pub phone: String,
    pub account_number: String,
    pub address: String,
    pub stage: &'static str,
    pub status: &'static str,
    pub customer_since: String,
    pub now: i64,
}

impl Row for ContactRow {
    const TABLE: &'static str = "contacts";
    const COLS: &'static [&'static str] = &[
        "id",
        "company_id",
        "external_id",
        "customer_number",
        "first_name",
        "last_name",
        "email",
        "phone",
        "account_number",
        "address",
        "stage",
        "status",
        "customer_since",
        "created_at",
        "updated_at",
    ];
    fn push_vals<'a>(&'a self, out: &mut Vec<Val<'a>>) {
        out.extend([
            Val::I(self.id),
            Val::I(self.company_id),
            Val::S(&self.external_id),
            Val::S(&self.customer_number),
            Val::S(self.first_name),
            Val::S(self.last_name),
            Val::S(&self.email),
            Val::S(&self.phone),
            Val::S(&self.account_number),
            Val::S(&self.address),
            Val::S(self.stage),
            Val::S(self.status),
            Val::S(&self.customer_since),
            Val::I(self.now),
            Val::I(self.now),
        ]);
    }
}

pub struct UserRow {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: std::sync::Arc<str>,
    pub onboarded_at: i64,
    pub welcome_sent_at: i64,
    pub last_login_at: i64,
    pub created_at: i64,
}

impl Row for UserRow {
    const TABLE: &'static str = "portal_users";
    const COLS: &'static [&'static str] = &[
        "id",
        "company_id",
        "contact_id",
        "username",
        "email",
        "password_hash",
        "active",
        "onboarded_at",
        "welcome_sent_at",
        "last_login_at",
        "created_at",
    ];
    fn push_vals<'a>(&'a self, out: &mut Vec<Val<'a>>) {
        out.extend([
            Val::I(self.id),
            Val::I(self.company_id),
            Val::I(self.contact_id),
            Val::S(&self.username),
            Val::S(&self.email),
            Val::S(&self.password_hash),
            Val::I(1),
            Val::I(self.onboarded_at),
            Val::I(self.welcome_sent_at),
            Val::I(self.last_login_at),
            Val::I(self.created_at),
        ]);
    }
}

pub struct AccountRow {
    pub id: i64,
    pub company_id: i64,
    pub contact_id: i64,
    pub external_id: String,
    pub number: String,
    pub kind: &'static str,
    pub product: &'static str,
    pub status: &'static str,
    pub opened_on: String,
    pub amount_cents: i64,
    pub annual_rate: &'static str,
    pub factor_rate: Option<String>,
    pub term_periods: Option<i64>,
    pub frequency: &'static str,
    pub first_due_on: Option<String>,
    pub payment_cents: Option<i64>,
    pub day_count: &'static str,
    pub min_payment_percent: Option<String>,
    pub min_payment_floor_cents: Option<i64>,
    pub now: i64,
}

impl Row for AccountRow {
    const TABLE: &'static str = "accounts";
    const COLS: &'static [&'static str] = &[
        "id",
        "company_id",
        "contact_id",
        "external_id",
        "number",
        "kind",
        "product",
        "status",
        "hidden",
        "opened_on",
        "amount_cents",
        "annual_rate",
        "factor_rate",
        "term_periods",
        "frequency",
        "first_due_on",
        "payment_cents",
        "day_count",
        "min_payment_percent",
        "min_payment_floor_cents",
        "created_at",
    ];
    fn push_vals<'a>(&'a self, out: &mut Vec<Val<'a>>) {
        out.extend([
            Val::I(self.id),
            Val::I(self.company_id),
            Val::I(self.contact_id),
            Val::S(&self.external_id),
            Val::S(&self.number),
            Val::S(self.kind),
            Val::S(self.product),
            Val::S(self.status),
            Val::I(0),
            Val::S(&self.opened_on),
            Val::I(self.amount_cents),
            Val::S(self.annual_rate),
            opt_s(&self.factor_rate),
            opt_i(self.term_periods),
            Val::S(self.frequency),
            opt_s(&self.first_due_on),
            opt_i(self.payment_cents),
            Val::S(self.day_count),
            opt_s(&self.min_payment_percent),
            opt_i(self.min_payment_floor_cents),
            Val::I(self.now),
        ]);
    }
}

pub struct TxRow {
    pub id: i64,
    pub company_id: i64,
    pub account_id: i64,
    pub posted_on: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub amount_cents: i64,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub fees_cents: i64,
    pub description: &'static str,
    pub reverses_id: Option<i64>,
    pub created_at: i64,
}

impl Row for TxRow {
    const TABLE: &'static str = "transactions";
    const COLS: &'static [&'static str] = &[
        "id",
        "company_id",
        "account_id",
        "posted_on",
        "kind",
        "status",
        "amount_cents",
        "principal_cents",
        "interest_cents",
        "fees_cents",
        "description",
        "reverses_id",
        "created_at",
    ];
    fn push_vals<'a>(&'a self, out: &mut Vec<Val<'a>>) {
        out.extend([
            Val::I(self.id),
            Val::I(self.company_id),
            Val::I(self.account_id),
            Val::S(&self.posted_on),
            Val::S(self.kind),
            Val::S(self.status),
            Val::I(self.amount_cents),
            Val::I(self.principal_cents),
            Val::I(self.interest_cents),
            Val::I(self.fees_cents),
            Val::S(self.description),
            opt_i(self.reverses_id),
            Val::I(self.created_at),
        ]);
    }
}

pub struct StatementRow {
    pub id: i64,
    pub company_id: i64,
    pub account_id: i64,
    pub cycle_start: String,
    pub cycle_end: String,
    pub opening_cents: i64,
    pub closing_cents: i64,
    pub draws_cents: i64,
    pub payments_cents: i64,
    pub interest_cents: i64,
    pub minimum_payment_cents: i64,
    pub due_on: String,
    pub now: i64,
}

impl Row for StatementRow {
    const TABLE: &'static str = "statements";
    const COLS: &'static [&'static str] = &[
        "id",
        "company_id",
        "account_id",
        "cycle_start",
        "cycle_end",
        "opening_cents",
        "closing_cents",
        "draws_cents",
        "payments_cents",
        "interest_cents",
        "fees_cents",
        "minimum_payment_cents",
        "due_on",
        "created_at",
    ];
    fn push_vals<'a>(&'a self, out: &mut Vec<Val<'a>>) {
        out.extend([
            Val::I(self.id),
            Val::I(self.company_id),
            Val::I(self.account_id),
            Val::S(&self.cycle_start),
            Val::S(&self.cycle_end),
            Val::I(self.opening_cents),
            Val::I(self.closing_cents),
            Val::I(self.draws_cents),
            Val::I(self.payments_cents),
            Val::I(self.interest_cents),
            Val::I(0),
            Val::I(self.minimum_payment_cents),
            Val::S(&self.due_on),
            Val::I(self.now),
        ]);
    }
}

/// The rows of a run of consecutive customers.
#[derive(Default)]
pub struct Chunk {
    pub contacts: Vec<ContactRow>,
    pub users: Vec<UserRow>,
    pub accounts: Vec<AccountRow>,
    pub txs: Vec<TxRow>,
    pub statements: Vec<StatementRow>,
    /// (customer index, its accounts as (id, kind)), for the customers
    /// that get a benchmark session.
    pub tracked: Vec<(usize, Vec<(i64, &'static str)>)>,
}

/// First ids of each table (the generator assigns ids itself, so rows can
/// reference each other without a round trip).
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub contact: i64,
    pub user: i64,
    pub account: i64,
    pub tx: i64,
    pub statement: i64,
}

pub struct Generator {
    pub company_id: i64,
    pub today: Date,
    pub now: i64,
    pub tx_per_customer: usize,
    pub password_hash: std::sync::Arc<str>,
    pub next: Ids,
    /// Whether customer `n` gets a session (its account ids are kept).
    pub tracked: Vec<bool>,
}

const FIRST: [&str; 32] = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Elijah",
    "Sophia",
    "Mateo",
    "Isabella",
    "Lucas",
    "Mia",
    "Amir",
    "Charlotte",
    "Ethan",
    "Amelia",
    "Mason",
    "Harper",
    "Logan",
    "Evelyn",
    "Jackson",
    "Abigail",
    "Aiden",
    "Priya",
    "Carlos",
    "Grace",
    "Daniel",
    "Chloe",
    "Samuel",
    "Zoe",
    "Omar",
    "Hannah",
    "Wei",
];
const LAST: [&str; 32] = [
    "Johnson",
    "Martinez",
    "Nguyen",
    "Patel",
    "Williams",
    "Brown",
    "Garcia",
    "Kim",
    "Rodriguez",
    "Lee",
    "Walker",
    "Hall",
    "Allen",
    "Young",
    "Hernandez",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Scott",
    "Green",
    "Adams",
    "Baker",
    "Okafor",
    "Nelson",
    "Carter",
    "Mitchell",
    "Perez",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
];
const STREETS: [&str; 8] =
    ["Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Elm Street", "Pine Road", "Lake View", "Hill Court"];
const CITIES: [&str; 8] = [
    "Austin, TX 78701",
    "Columbus, OH 43215",
    "Denver, CO 80202",
    "Tampa, FL 33602",
    "Raleigh, NC 27601",
    "Phoenix, AZ 85004",
    "Portland, OR 97201",
    "Madison, WI 53703",
];
const LOAN_PRODUCTS: [&str; 5] =
    ["Personal loan", "Auto loan", "Home improvement loan", "Equipment loan", "Debt consolidation loan"];
const RATES: [&str; 5] = ["0.0599", "0.0849", "0.1199", "0.1649", "0.2199"];
const TERMS: [u32; 6] = [12, 24, 36, 48, 60, 72];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Installment,
    Lease,
    LineOfCredit,
    CashAdvance,
}

fn pick_kind(rng: &mut Rng, first: bool) -> Kind {
    let r = rng.range(0, 99);
    let (inst, lease, loc) = if first { (75, 80, 92) } else { (55, 60, 85) };
    if r < inst {
        Kind::Installment
    } else if r < lease {
        Kind::Lease
    } else if r < loc {
        Kind::LineOfCredit
    } else {
        Kind::CashAdvance
    }
}

fn days(d: Date, n: i64) -> Date {
    d.checked_add(Duration::days(n)).unwrap_or(d)
}

fn month(anchor: Date, n: u32) -> Date {
    Frequency::Monthly.due_date(anchor, n).unwrap_or(anchor)
}

fn next_business_day(d: Date) -> Date {
    match d.weekday() {
        Weekday::Friday => days(d, 3),
        Weekday::Saturday => days(d, 2),
        _ => days(d, 1),
    }
}

fn prev_business_day(d: Date) -> Date {
    match d.weekday() {
        Weekday::Monday => days(d, -3),
        Weekday::Sunday => days(d, -2),
        _ => days(d, -1),
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

/// Half away from zero, like the domain's rounding of stored figures.
fn round(x: f64) -> i64 {
    x.round() as i64
}

/// Collects one account's ledger, numbering rows as they come and
/// stopping at the account's share of the customer's transactions.
struct Ledger<'g> {
    rows: Vec<TxRow>,
    budget: usize,
    company_id: i64,
    account_id: i64,
    now: i64,
    next_id: &'g mut i64,
}

impl Ledger<'_> {
    fn full(&self) -> bool {
        self.rows.len() >= self.budget
    }

    fn left(&self) -> usize {
        self.budget.saturating_sub(self.rows.len())
    }

    #[allow(clippy::too_many_arguments)]
    fn post(
        &mut self,
        on: Date,
        kind: &'static str,
        status: &'static str,
        amount: i64,
        deltas: (i64, i64, i64),
        description: &'static str,
        reverses_id: Option<i64>,
    ) -> i64 {
        let id = *self.next_id;
        *self.next_id += 1;
        self.rows.push(TxRow {
            id,
            company_id: self.company_id,
            account_id: self.account_id,
            posted_on: iso(on),
            kind,
            status,
            amount_cents: amount,
            principal_cents: deltas.0,
            interest_cents: deltas.1,
            fees_cents: deltas.2,
            description,
            reverses_id,
            created_at: self.now,
        });
        id
    }
}

impl Generator {
    /// Generate customers `from..to` (0-based indexes).
    pub fn chunk(&mut self, from: usize, to: usize) -> Chunk {
        let mut c = Chunk::default();
        for n in from..to {
            self.customer(n, &mut c);
        }
        c
    }

    fn customer(&mut self, n: usize, out: &mut Chunk) {
        let mut rng = Rng::new(0xB3_4C + n as u64);
        let contact_id = self.next.contact;
        self.next.contact += 1;
        let user_id = self.next.user;
        self.next.user += 1;
        let first = FIRST[n % FIRST.len()];
        let last = LAST[(n / FIRST.len() + n * 7) % LAST.len()];
        let number = n + 1;
        let email = format!("{}.{}.{number}@bench.example", first.to_lowercase(), last.to_lowercase());
        let since = days(self.today, -rng.range(400, 3000));
        let (stage, status) = match rng.range(0, 19) {
            0 => ("Collections", "Past due 30"),
            1 => ("Paid off", "Closed"),
            2 => ("Onboarding", "Funded"),
            _ => ("Servicing", "Current"),
        };
        out.contacts.push(ContactRow {
            id: contact_id,
            company_id: self.company_id,
            external_id: format!("BENCH-{number:07}"),
            customer_number: format!("BL-{number:07}"),
            first_name: first,
            last_name: last,
            email: email.clone(),
            phone: format!("(555) {:03}-{:04}", 200 + n % 800, n % 10_000),
            account_number: format!("BL-{}-{number:07}", since.year()),
            address: format!(
                "{} {}\n{}",
                100 + rng.range(0, 8900),
                STREETS[rng.range(0, 7) as usize],
                CITIES[rng.range(0, 7) as usize]
            ),
            stage,
            status,
            customer_since: iso(since),
            now: self.now,
        });
        let enrolled = self.now - rng.range(30, 700) * 86_400;
        out.users.push(UserRow {
            id: user_id,
            company_id: self.company_id,
            contact_id,
            username: format!("{}.{}{number}", first.to_lowercase(), last.to_lowercase()),
            email,
            password_hash: self.password_hash.clone(),
            onboarded_at: enrolled + 86_400,
            welcome_sent_at: enrolled,
            last_login_at: self.now - rng.range(1, 30 * 86_400),
            created_at: enrolled,
        });

        let accounts = match rng.range(0, 99) {
            0..70 => 1,
            70..95 => 2,
            _ => 3,
        };
        let m = self.tx_per_customer.max(accounts);
        let mut tracked = Vec::new();
        for k in 0..accounts {
            // An even share of the customer's transactions, the remainder to the first.
            let budget = m / accounts + if k == 0 { m % accounts } else { 0 };
            let kind = pick_kind(&mut rng, k == 0);
            let (id, kind_s) = self.account(kind, contact_id, budget, &mut rng, out);
            tracked.push((id, kind_s));
        }
        if self.tracked.get(n).copied().unwrap_or(false) {
            // Amortizing accounts first: the Summary tab exists only for them.
            tracked.sort_by_key(|(_, k)| !matches!(*k, "installment" | "lease"));
            out.tracked.push((n, tracked));
        }
    }

    fn account(
        &mut self,
        kind: Kind,
        contact_id: i64,
        budget: usize,
        rng: &mut Rng,
        out: &mut Chunk,
    ) -> (i64, &'static str) {
        let id = self.next.account;
        self.next.account += 1;
        let mut ledger = Ledger {
            rows: Vec::with_capacity(budget),
            budget,
            company_id: self.company_id,
            account_id: id,
            now: self.now,
            next_id: &mut self.next.tx,
        };
        let today = self.today;
        let now = self.now;
        let company_id = self.company_id;
        let account = match kind {
            Kind::Installment | Kind::Lease => installment(kind, id, contact_id, today, rng, &mut ledger),
            Kind::LineOfCredit => {
                let next_statement = &mut self.next.statement;
                line_of_credit(id, contact_id, today, rng, &mut ledger, |s| {
                    let sid = *next_statement;
                    *next_statement += 1;
                    out.statements.push(StatementRow { id: sid, company_id, now, ..s });
                })
            }
            Kind::CashAdvance => cash_advance(id, contact_id, today, rng, &mut ledger),
        };
        let mut rows = ledger.rows;
        // Oldest first, numbered in that order as if posted day by day.
        rows.sort_by(|a, b| a.posted_on.cmp(&b.posted_on).then(a.id.cmp(&b.id)));
        let first = rows.iter().map(|r| r.id).min().unwrap_or(0);
        let old: Vec<i64> = rows.iter().map(|r| r.id).collect();
        for (i, r) in rows.iter_mut().enumerate() {
            r.id = first + i as i64;
        }
        for r in rows.iter_mut() {
            if let Some(target) = r.reverses_id {
                r.reverses_id = old.iter().position(|&o| o == target).map(|i| first + i as i64);
            }
        }
        out.txs.extend(rows);
        let kind_s = account.kind;
        out.accounts.push(AccountRow { company_id, now, ..account });
        (id, kind_s)
    }
}

fn blank_account(id: i64, contact_id: i64) -> AccountRow {
    AccountRow {
        id,
        company_id: 0,
        contact_id,
        external_id: String::new(),
        number: String::new(),
        kind: "installment",
        product: "",
        status: "active",
        opened_on: String::new(),
        amount_cents: 0,
        annual_rate: "0",
        factor_rate: None,
        term_periods: None,
        frequency: "monthly",
        first_due_on: None,
        payment_cents: None,
        day_count: "30/360",
        min_payment_percent: None,
        min_payment_floor_cents: None,
        now: 0,
    }
}

/// A loan or lease paid monthly (mostly on time) from its opening to today:
/// interest assessed on each due date, a late fee when late, a payment
/// allocated fees → interest → principal; now and then a returned payment
/// (with its fee and the payment made again) or a waived fee (reversed).
fn installment(kind: Kind, id: i64, contact_id: i64, today: Date, rng: &mut Rng, l: &mut Ledger<'_>) -> AccountRow {
    // One more month than the budget needs: the budget, not today, ends the history.
    let months = (l.budget / 2).max(1) as u32;
    let opened = days(today, -(i64::from(months) * 30 + 15 + rng.range(0, 14)));
    let eligible: Vec<u32> = TERMS.iter().copied().filter(|&t| t >= months).collect();
    let term = if eligible.is_empty() { months } else { eligible[rng.range(0, eligible.len() as i64 - 1) as usize] };
    let rate_s = RATES[rng.range(0, RATES.len() as i64 - 1) as usize];
    let rate = rate_s.parse::<f64>().unwrap_or(0.1) / 12.0;
    let principal = rng.range(30, 600) * 10_000;
    let payment = loan::level_payment(Cents(principal), dec(rate_s), 12, term).map(|c| c.0).unwrap_or(principal / 12);
    let lease = kind == Kind::Lease;
    l.post(
        opened,
        "disbursement",
        "posted",
        principal,
        (principal, 0, 0),
        if lease { "Lease funded" } else { "Loan funded" },
        None,
    );
    let mut balance = principal;
    for k in 1..=term {
        let due = month(opened, k);
        if due > today || l.full() || balance <= 0 {
            break;
        }
        let interest = round(balance as f64 * rate);
        l.post(due, "interest", "posted", interest, (0, interest, 0), "Interest", None);
        let late = rng.chance(6);
        let mut fee = 0;
        if late && l.left() > 1 {
            let fee_day = days(due, 10);
            if fee_day <= today {
                fee = 2500;
                l.post(fee_day, "fee", "posted", fee, (0, 0, fee), "Late fee", None);
                if rng.chance(10) && l.left() > 2 {
                    // Waived: the fee leaves every sum and a zero-delta entry points at it.
                    let fee_id = l.rows.last().map(|r| r.id);
                    if let Some(r) = l.rows.last_mut() {
                        r.status = "reversed";
                    }
                    l.post(fee_day, "reversal", "posted", fee, (0, 0, 0), "Late fee waived", fee_id);
                    fee = 0;
                }
            }
        }
        let mut pay_day = days(due, if late { 12 } else { -rng.range(0, 3) });
        if pay_day > today || l.full() {
            break;
        }
        let to_principal = if k == term { balance } else { (payment - interest).min(balance).max(0) };
        let mut amount = to_principal + interest + fee;
        if rng.chance(1) && l.left() >= 3 {
            l.post(
                pay_day,
                "payment",
                "returned",
                amount,
                (-to_principal, -interest, -fee),
                "Payment — returned by the bank (R01 insufficient funds)",
                None,
            );
            l.post(days(pay_day, 2), "fee", "posted", 2500, (0, 0, 2500), "Returned payment fee", None);
            fee += 2500;
            amount += 2500;
            pay_day = days(pay_day, 6);
        }
        let status = if pay_day >= today { "pending" } else { "posted" };
        l.post(pay_day, "payment", status, amount, (-to_principal, -interest, -fee), "Payment — thank you", None);
        if status == "posted" {
            balance -= to_principal;
        }
    }
    let number = format!("{}-{:08}", if lease { "LS" } else { "LN" }, id);
    AccountRow {
        external_id: format!("LMS-{number}"),
        number,
        kind: if lease { "lease" } else { "installment" },
        product: if lease { "Equipment lease" } else { LOAN_PRODUCTS[(id % 5) as usize] },
        status: if balance <= 0 { "paid_off" } else { "active" },
        opened_on: iso(opened),
        amount_cents: principal,
        annual_rate: rate_s,
        term_periods: Some(i64::from(term)),
        first_due_on: Some(iso(month(opened, 1))),
        payment_cents: Some(payment),
        ..blank_account(id, contact_id)
    }
}

/// A line of credit with monthly cycles: draws, a payment of the last
/// statement's minimum (or more) before its due date, interest on the
/// average daily principal at cycle end, and a statement per cycle.
fn line_of_credit(
    id: i64,
    contact_id: i64,
    today: Date,
    rng: &mut Rng,
    l: &mut Ledger<'_>,
    mut statement: impl FnMut(StatementRow),
) -> AccountRow {
    let cycles = (l.budget / 3 + 1) as i64;
    let opened = days(today, -(cycles * 30 + 10 + rng.range(0, 15)));
    let limit = rng.range(5, 50) * 100_000;
    let apr_s = ["0.1899", "0.2149", "0.2499"][rng.range(0, 2) as usize];
    let apr = apr_s.parse::<f64>().unwrap_or(0.2);
    let rule = MinimumPaymentRule { percent_of_balance: Decimal::new(3, 2), floor: Cents(2500) };
    let (mut principal, mut interest) = (0_i64, 0_i64);
    let mut pending: Option<(Date, i64)> = None;
    let mut k = 0;
    loop {
        let start = month(opened, k);
        let end = days(month(opened, k + 1), -1);
        if end >= today || l.full() {
            break;
        }
        let (opening, opening_principal) = (principal + interest, principal);
        let span = (end - start).whole_days();
        // (day, amount, is_draw)
        let mut events: Vec<(Date, i64, bool)> = Vec::new();
        let draws = if k == 0 { 1 } else { rng.range(0, 2) };
        for _ in 0..draws {
            events.push((days(start, rng.range(0, span)), rng.range(20, 150) * 1000, true));
        }
        if let Some((day, amount)) = pending.take()
            && day >= start
            && day <= end
        {
            events.push((day, amount, false));
        }
        events.sort_by_key(|e| e.0);
        let (mut drawn, mut paid) = (0, 0);
        // Principal × days, for the average daily balance.
        let (mut weighted, mut last_day, mut last_principal) = (0_i64, start, opening_principal);
        for (day, amount, is_draw) in events {
            if l.left() <= 1 {
                break;
            }
            weighted += last_principal * (day - last_day).whole_days();
            if is_draw {
                let amount = amount.min(limit - principal);
                if amount <= 0 {
                    continue;
                }
                principal += amount;
                drawn += amount;
                l.post(day, "draw", "posted", amount, (amount, 0, 0), "Draw to checking", None);
            } else {
                let to_interest = amount.min(interest);
                let to_principal = (amount - to_interest).min(principal);
                interest -= to_interest;
                principal -= to_principal;
                paid += to_interest + to_principal;
                l.post(
                    day,
                    "payment",
                    "posted",
                    to_interest + to_principal,
                    (-to_principal, -to_interest, 0),
                    "Payment — thank you",
                    None,
                );
            }
            last_day = day;
            last_principal = principal;
        }
        weighted += last_principal * ((end - last_day).whole_days() + 1);
        let cycle_interest = round(weighted as f64 * apr / 365.0);
        if cycle_interest > 0 && !l.full() {
            interest += cycle_interest;
            l.post(end, "interest", "posted", cycle_interest, (0, cycle_interest, 0), "Interest charge", None);
        }
        let closing = principal + interest;
        let minimum = loan::minimum_payment(Cents(closing), Cents(cycle_interest.max(0)), Cents(0), &rule)
            .map(|c| c.0)
            .unwrap_or(0);
        let due = days(end, 25);
        statement(StatementRow {
            id: 0,
            company_id: 0,
            account_id: id,
            cycle_start: iso(start),
            cycle_end: iso(end),
            opening_cents: opening,
            closing_cents: closing,
            draws_cents: drawn,
            payments_cents: paid,
            interest_cents: cycle_interest,
            minimum_payment_cents: minimum,
            due_on: iso(due),
            now: 0,
        });
        let pay = if rng.chance(40) { minimum.max(closing / 4) } else { minimum };
        if pay > 0 {
            pending = Some((days(due, -rng.range(1, 6)), pay));
        }
        k += 1;
    }
    if let Some((day, amount)) = pending
        && day <= today
        && !l.full()
    {
        let to_interest = amount.min(interest);
        let to_principal = (amount - to_interest).min(principal);
        l.post(
            day,
            "payment",
            "posted",
            to_interest + to_principal,
            (-to_principal, -to_interest, 0),
            "Payment — thank you",
            None,
        );
    }
    let number = format!("LC-{id:08}");
    AccountRow {
        external_id: format!("LMS-{number}"),
        number,
        kind: "line_of_credit",
        product: "Business line of credit",
        opened_on: iso(opened),
        amount_cents: limit,
        annual_rate: apr_s,
        day_count: "actual/365",
        min_payment_percent: Some("0.03".into()),
        min_payment_floor_cents: Some(2500),
        ..blank_account(id, contact_id)
    }
}

/// A merchant cash advance: funded, then a fixed debit every business day
/// (2 % returned by the bank) until the payback is remitted or today.
fn cash_advance(id: i64, contact_id: i64, today: Date, rng: &mut Rng, l: &mut Ledger<'_>) -> AccountRow {
    let remittances = l.budget.saturating_sub(1).max(1) as i64;
    let mut funded_on = today;
    for _ in 0..=remittances {
        funded_on = prev_business_day(funded_on);
    }
    let funded = rng.range(10, 80) * 100_000;
    let factor_s = ["1.25", "1.32", "1.38", "1.45"][rng.range(0, 3) as usize];
    let payback = round(funded as f64 * factor_s.parse::<f64>().unwrap_or(1.3));
    // Some advances complete within the window, most are still being remitted.
    let debits = if rng.chance(30) { remittances } else { remittances + rng.range(5, remittances * 2 + 10) };
    let debit = (payback + debits - 1) / debits;
    l.post(funded_on, "disbursement", "posted", funded, (payback, 0, 0), "Advance funded", None);
    let mut remitted = 0;
    let mut day = funded_on;
    loop {
        day = next_business_day(day);
        if day > today || remitted >= payback || l.full() {
            break;
        }
        let amount = debit.min(payback - remitted);
        if rng.chance(2) {
            l.post(day, "remittance", "returned", amount, (-amount, 0, 0), "Daily debit — returned (R01)", None);
        } else {
            remitted += amount;
            l.post(day, "remittance", "posted", amount, (-amount, 0, 0), "Daily debit", None);
        }
    }
    let number = format!("CA-{id:08}");
    AccountRow {
        external_id: format!("MCA-{number}"),
        number,
        kind: "cash_advance",
        product: "Business cash advance",
        status: if remitted >= payback { "completed" } else { "active" },
        opened_on: iso(funded_on),
        amount_cents: funded,
        factor_rate: Some(factor_s.into()),
        frequency: "daily",
        payment_cents: Some(debit),
        day_count: "actual/365",
        ..blank_account(id, contact_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generator(m: usize) -> Generator {
        Generator {
            company_id: 1,
            today: time::macros::date!(2026 - 11 - 24),
            now: 1_795_000_000,
            tx_per_customer: m,
            password_hash: "x".into(),
            next: Ids { contact: 1, user: 1, account: 1, tx: 1, statement: 1 },
            tracked: vec![true; 200],
        }
    }

    #[test]
    fn budgets_and_ledger_invariants() {
        let mut g = generator(50);
        let c = g.chunk(0, 200);
        assert_eq!(c.contacts.len(), 200);
        assert_eq!(c.tracked.len(), 200);
        let per_customer = c.txs.len() as f64 / 200.0;
        assert!((40.0..=50.0).contains(&per_customer), "{per_customer} transactions per customer");
        for a in &c.accounts {
            let txs: Vec<&TxRow> = c.txs.iter().filter(|t| t.account_id == a.id).collect();
            assert!(!txs.is_empty());
            let posted = txs.iter().filter(|t| t.status == "posted");
            let (p, i, f) =
                posted.fold((0, 0, 0), |s, t| (s.0 + t.principal_cents, s.1 + t.interest_cents, s.2 + t.fees_cents));
            assert!(p >= 0 && i >= 0 && f >= 0, "{} {p} {i} {f}", a.number);
            assert!(txs.windows(2).all(|w| w[0].posted_on <= w[1].posted_on));
            assert!(txs.iter().all(|t| t.posted_on.as_str() <= "2026-11-24"));
            if a.kind == "line_of_credit" {
                assert!(c.statements.iter().any(|s| s.account_id == a.id));
            }
        }
        let ids: std::collections::BTreeSet<i64> = c.txs.iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), c.txs.len());
        assert!(c.accounts.iter().any(|a| a.kind == "line_of_credit"));
        assert!(c.accounts.iter().any(|a| a.kind == "cash_advance"));
        assert!(c.txs.iter().any(|t| t.status == "returned"));
    }

    #[test]
    fn deterministic() {
        let (a, b) = (generator(30).chunk(0, 20), generator(30).chunk(0, 20));
        assert_eq!(a.txs.len(), b.txs.len());
        assert!(a.txs.iter().zip(&b.txs).all(|(x, y)| x.amount_cents == y.amount_cents && x.posted_on == y.posted_on));
    }
}
