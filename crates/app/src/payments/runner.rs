//! The payment runner: AutoPay dates, due scheduled payments, recovery of
//! payments left `processing`, returns reported by gateways, and ACH
//! settlement. Every step is safe with several runners at once (leases
//! and conditional updates in `store::payments`) and safe to repeat.
//!
//! Business-day rule: a payment due on a weekend or a Federal Reserve
//! holiday is charged on the next business day (the runner claims due
//! payments only on business days, and then everything due up to today).

use std::time::Duration;

use portico_domain::payment::schedule;
use portico_domain::validate;
use portico_store::payments as store;
use tokio::sync::watch;

use super::pay;
use crate::accounts::today;
use crate::{App, AppError, now};

/// Business days after a NACHA file's effective date after which an ACH
/// payment with no return counts as completed (most returns, R01/R02/R03,
/// arrive within two banking days; later ones are still imported).
pub const ACH_SETTLEMENT_DAYS: u32 = 2;
/// How far back card payments are checked for chargebacks.
pub const RETURN_WINDOW_SECS: i64 = 60 * 24 * 3600;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub autopay_payments: usize,
    pub charged: usize,
    pub recovered: usize,
    pub returned: usize,
    pub settled: usize,
}

/// One pass of every payment job.
pub async fn run_once(app: &App) -> Result<Report, AppError> {
    run_once_at(app, today()).await
}

/// One pass as if it were `today` (tests pick a business day).
pub async fn run_once_at(app: &App, today: time::Date) -> Result<Report, AppError> {
    let mut r = Report { autopay_payments: super::autopay::run_due(app, today, 200).await?, ..Report::default() };
    if schedule::is_business_day(today) {
        loop {
            let due = store::claim_due(app.db.w(), &validate::iso_date(today), now(), pay::LEASE_SECS, 20).await?;
            if due.is_empty() {
                break;
            }
            for p in &due {
                if let Err(e) = pay::execute(app, p).await {
                    tracing::error!(payment = p.id, error = %e, "scheduled payment");
                }
                r.charged += 1;
            }
        }
    }
    for p in store::claim_stale(app.db.w(), now(), pay::LEASE_SECS, 50).await? {
        if let Err(e) = pay::recover(app, &p).await {
            tracing::error!(payment = p.id, error = %e, "payment recovery");
        }
        r.recovered += 1;
    }
    let recent = store::completed_since(app.db.r(), "test", now() - RETURN_WINDOW_SECS).await?;
    let refs: Vec<String> = recent.iter().filter_map(|p| p.gateway_ref.clone()).collect();
    if !refs.is_empty() {
        let gw = app.gateways.get("test")?;
        match gw.returns(&refs).await {
            Ok(notices) => {
                for n in notices {
                    if let Some(p) = recent.iter().find(|p| p.gateway_ref.as_deref() == Some(n.gateway_ref.as_str()))
                        && pay::apply_return(app, p, &n.code, &n.message, None).await?
                    {
                        r.returned += 1;
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "gateway returns"),
        }
    }
    let mut cutoff = today;
    for _ in 0..ACH_SETTLEMENT_DAYS {
        cutoff = previous_business_day(cutoff);
    }
    r.settled = store::ach_settle_before(app.db.w(), &validate::iso_date(cutoff), now()).await?.len();
    Ok(r)
}

fn previous_business_day(d: time::Date) -> time::Date {
    let mut d = d.previous_day().unwrap_or(d);
    while !schedule::is_business_day(d) {
        d = d.previous_day().unwrap_or(d);
    }
    d
}

/// Run until `shutdown` turns true, every `every`.
pub async fn run(app: App, every: Duration, mut shutdown: watch::Receiver<bool>) {
    tracing::info!("payment runner started");
    loop {
        match run_once(&app).await {
            Ok(r) if r != Report::default() => tracing::info!(?r, "payment runner"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "payment runner"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
        if *shutdown.borrow() {
            break;
        }
    }
    tracing::info!("payment runner stopped");
}
