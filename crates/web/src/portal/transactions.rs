//! The Transactions page (seed 000): every transaction of every account,
//! as a table the customer shapes — columns chosen and ordered, sorting,
//! filters, paging — and a streamed CSV export. The company decides which
//! transaction kinds are ever shown (seed 001) and the default columns.

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::Query;
use portico_app::portal::{self as reads, Transaction, TxFilter};
use portico_domain::section::Section;
use portico_domain::validate;
use serde::Deserialize;

use crate::ctx::{CsrfToken, CustomerCtx, OriginCtx, TenantCtx};
use crate::error::WebResult;
use crate::page::{Notice, Page, plain_money, short_iso, signed_money};
use crate::portal::chrome::portal_page;
use crate::state::AppState;
use portico_domain::codes::{TxKind, TxStatus};

pub const COLUMNS: [(&str, &str); 9] = [
    ("date", "Date"),
    ("account", "Account"),
    ("kind", "Type"),
    ("description", "Description"),
    ("amount", "Amount"),
    ("principal", "Principal"),
    ("interest", "Interest"),
    ("fees", "Fees"),
    ("status", "Status"),
];
const SORTS: [&str; 5] = ["date", "amount", "kind", "status", "account"];
const PAGE_SIZE: i64 = 25;

#[derive(Deserialize, Default, Clone)]
pub struct TxQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    kind: Vec<String>,
    #[serde(default)]
    status: Vec<String>,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    col: Vec<String>,
}

/// The validated request: what to query, what to show, what was wrong.
struct Plan {
    filter: TxFilter,
    columns: Vec<&'static str>,
    page: i64,
    errors: Vec<String>,
    kinds_allowed: Vec<TxKind>,
}

fn plan(q: &TxQuery, tenant: &TenantCtx, account_ids: &[i64]) -> Plan {
    let settings = &tenant.0.settings;
    let kinds_allowed: Vec<TxKind> =
        settings.transaction_kinds_shown.split(',').filter_map(|k| TxKind::from_code(k.trim())).collect();
    let mut errors = Vec::new();
    let mut date = |raw: &str, label: &str| -> Option<String> {
        if raw.trim().is_empty() {
            return None;
        }
        match validate::date(raw) {
            Some(d) => Some(validate::iso_date(d)),
            None => {
                errors.push(format!("The {label} date \"{}\" isn't a date like 2026-01-31.", crate::page::clip(raw)));
                None
            }
        }
    };
    let mut from = date(&q.from, "from");
    let mut to = date(&q.to, "to");
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        errors.push("The start date is after the end date; showing all dates instead.".into());
        from = None;
        to = None;
    }
    let account_id = if q.account.is_empty() {
        None
    } else {
        match q.account.parse::<i64>().ok().filter(|id| account_ids.contains(id)) {
            Some(id) => Some(id),
            None => {
                errors.push("That account isn't one of yours; showing all accounts.".into());
                None
            }
        }
    };
    let mut kinds = Vec::new();
    for k in &q.kind {
        if let Some(k) = TxKind::from_code(k).filter(|k| kinds_allowed.contains(k)) {
            kinds.push(k);
        } else {
            errors.push(format!("Unknown transaction type \"{}\" was ignored.", crate::page::clip(k)));
        }
    }
    // Only the kinds the company shows, ever.
    if kinds.is_empty() {
        kinds = kinds_allowed.clone();
    }
    let mut statuses = Vec::new();
    for s in &q.status {
        if let Some(s) = TxStatus::from_code(s) {
            statuses.push(s);
        } else {
            errors.push(format!("Unknown status \"{}\" was ignored.", crate::page::clip(s)));
        }
    }
    let sort = if q.sort.is_empty() || SORTS.contains(&q.sort.as_str()) {
        if q.sort.is_empty() { "date".to_string() } else { q.sort.clone() }
    } else {
        errors.push(format!("Can't sort by \"{}\"; sorted by date.", crate::page::clip(&q.sort)));
        "date".to_string()
    };
    let descending = q.dir != "asc";
    let mut columns: Vec<&'static str> = Vec::new();
    let requested: Vec<String> = if q.col.iter().all(|c| c.is_empty()) {
        settings.transaction_columns.split(',').map(str::to_string).collect()
    } else {
        q.col.clone()
    };
    for c in requested.iter().filter(|c| !c.is_empty()) {
        match COLUMNS.iter().find(|(k, _)| k == c) {
            Some((k, _)) if !columns.contains(k) => columns.push(k),
            Some(_) => {}
            None => errors.push(format!("Unknown column \"{}\" was left out.", crate::page::clip(c))),
        }
    }
    if columns.is_empty() {
        columns = vec!["date", "account", "kind", "description", "amount", "status"];
    }
    let page = if q.page.is_empty() {
        1
    } else {
        match q.page.parse::<i64>() {
            Ok(p) if p >= 1 => p,
            _ => {
                errors.push(format!("There is no page \"{}\"; showing page 1.", crate::page::clip(&q.page)));
                1
            }
        }
    };
    Plan {
        filter: TxFilter { from, to, account_id, kinds, statuses, sort, descending },
        columns,
        page,
        errors,
        kinds_allowed,
    }
}

fn cell(t: &Transaction, col: &str) -> String {
    let part = |c: i64| if c == 0 { String::new() } else { signed_money(c) };
    match col {
        "date" => short_iso(&t.posted_on),
        "account" => t.account_number.clone(),
        "kind" => t.kind.label().into(),
        "description" => t.description.clone(),
        "amount" => signed_money(t.effect_cents),
        "principal" => part(t.principal_cents),
        "interest" => part(t.interest_cents),
        "fees" => part(t.fees_cents),
        "status" => t.status.label().into(),
        _ => String::new(),
    }
}

/// Query string of the current view with some parameters replaced.
fn qs(q: &TxQuery, overrides: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    let get = |k: &str| overrides.iter().find(|(o, _)| *o == k).map(|(_, v)| v.to_string());
    for (k, v) in [
        ("from", &q.from),
        ("to", &q.to),
        ("account", &q.account),
        ("sort", &q.sort),
        ("dir", &q.dir),
        ("page", &q.page),
    ] {
        let v = get(k).unwrap_or_else(|| v.clone());
        if !v.is_empty() {
            ser.append_pair(k, &v);
        }
    }
    for k in &q.kind {
        ser.append_pair("kind", k);
    }
    for s in &q.status {
        ser.append_pair("status", s);
    }
    for c in q.col.iter().filter(|c| !c.is_empty()) {
        ser.append_pair("col", c);
    }
    ser.finish()
}

pub struct Header {
    pub label: &'static str,
    pub numeric: bool,
    pub sort_href: Option<String>,
    pub aria_sort: &'static str,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "portal/transactions.html")]
struct TxPage {
    p: Page,
    headers: Vec<Header>,
    rows: Vec<Vec<String>>,
    numeric: Vec<bool>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    csv: String,
    from: String,
    to: String,
    accounts: Vec<Opt>,
    kinds: Vec<Opt>,
    statuses: Vec<Opt>,
    slots: Vec<Vec<Opt>>,
    sort: String,
    dir: String,
}

pub async fn page(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<TxQuery>,
) -> WebResult {
    tenant.require(Section::Transactions)?;
    let views = portico_app::accounts::views(&state.app, &c).await?;
    let ids: Vec<i64> = views.iter().map(|v| v.account.id).collect();
    let mut plan = plan(&q, &tenant, &ids);
    let total = reads::transactions_count(&state.app, &c, &plan.filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if plan.page > pages {
        plan.errors.push(format!("There is no page {}; showing the last page.", plan.page));
        plan.page = pages;
    }
    let rows = reads::transactions(&state.app, &c, &plan.filter, PAGE_SIZE, (plan.page - 1) * PAGE_SIZE).await?;
    let numeric_col = |c: &str| matches!(c, "amount" | "principal" | "interest" | "fees");
    let sortable = |c: &'static str| SORTS.contains(&c).then_some(c);
    let headers = plan
        .columns
        .iter()
        .map(|col| {
            let label = COLUMNS.iter().find(|(k, _)| k == col).map(|(_, l)| *l).unwrap_or("");
            let current = plan.filter.sort == *col;
            let next_dir = if current && plan.filter.descending { "asc" } else { "desc" };
            Header {
                label,
                numeric: numeric_col(col),
                sort_href: sortable(col)
                    .map(|s| format!("/transactions?{}", qs(&q, &[("sort", s), ("dir", next_dir), ("page", "")]))),
                aria_sort: match (current, plan.filter.descending) {
                    (true, true) => "descending",
                    (true, false) => "ascending",
                    _ => "none",
                },
            }
        })
        .collect();
    let page_s = |p: i64| p.to_string();
    let notice = (!plan.errors.is_empty()).then(|| Notice::error(plan.errors.join(" ")));
    let mut slots = Vec::new();
    for i in 0..COLUMNS.len() {
        let chosen = plan.columns.get(i).copied().unwrap_or("");
        let mut opts = vec![Opt { value: String::new(), label: "—".into(), selected: chosen.is_empty() }];
        opts.extend(COLUMNS.iter().map(|(k, l)| Opt {
            value: k.to_string(),
            label: l.to_string(),
            selected: *k == chosen,
        }));
        slots.push(opts);
    }
    let t = TxPage {
        p: portal_page(&tenant, &c, "Transactions", "/transactions", &csrf).with_notice(notice),
        numeric: plan.columns.iter().map(|c| numeric_col(c)).collect(),
        rows: rows.iter().map(|t| plan.columns.iter().map(|col| cell(t, col)).collect()).collect(),
        headers,
        total,
        page: plan.page,
        pages,
        prev: (plan.page > 1).then(|| format!("/transactions?{}", qs(&q, &[("page", &page_s(plan.page - 1))]))),
        next: (plan.page < pages).then(|| format!("/transactions?{}", qs(&q, &[("page", &page_s(plan.page + 1))]))),
        csv: format!("/transactions.csv?{}", qs(&q, &[("page", "")])),
        from: q.from.clone(),
        to: q.to.clone(),
        accounts: views
            .iter()
            .map(|v| Opt {
                value: v.account.id.to_string(),
                label: format!("{} — {}", v.account.number, v.kind.label()),
                selected: plan.filter.account_id == Some(v.account.id),
            })
            .collect(),
        kinds: plan
            .kinds_allowed
            .iter()
            .map(|k| Opt {
                value: k.code().into(),
                label: k.label().into(),
                selected: q.kind.iter().any(|x| x == k.code()),
            })
            .collect(),
        statuses: TxStatus::ALL
            .iter()
            .map(|s| Opt {
                value: s.code().into(),
                label: s.label().into(),
                selected: q.status.iter().any(|x| x == s.code()),
            })
            .collect(),
        slots,
        sort: plan.filter.sort.clone(),
        dir: if plan.filter.descending { "desc".into() } else { "asc".into() },
    };
    let status = if plan.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok((status, Html(t.render()?)).into_response())
}

const CSV_CHUNK: i64 = 500;

/// A CSV cell: dates as `YYYY-MM-DD`, money as a plain signed number with
/// the page's sign convention (+ owed, − paid), so a spreadsheet sums it.
fn csv_cell(t: &Transaction, col: &str) -> String {
    let number = |c: i64| format!("\"{}\"", plain_money(c));
    match col {
        "date" => csv_field(&t.posted_on),
        "amount" => number(t.effect_cents),
        "principal" => number(t.principal_cents),
        "interest" => number(t.interest_cents),
        "fees" => number(t.fees_cents),
        other => csv_field(&cell(t, other)),
    }
}

fn csv_field(s: &str) -> String {
    // Quote every field; neutralise spreadsheet formulas (CSV injection).
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// CSV of the filtered transactions, oldest first, streamed in chunks read
/// by keyset so a long history is never held in memory.
pub async fn csv(
    State(state): State<AppState>,
    tenant: TenantCtx,
    CustomerCtx(c): CustomerCtx,
    OriginCtx(origin): OriginCtx,
    Query(q): Query<TxQuery>,
) -> WebResult<Response> {
    tenant.require(Section::Transactions)?;
    crate::portal::documents::refuse_agent_download(&state, &c, &origin, "a CSV export").await?;
    let views = portico_app::accounts::views(&state.app, &c).await?;
    let ids: Vec<i64> = views.iter().map(|v| v.account.id).collect();
    let plan = plan(&q, &tenant, &ids);
    let header = plan
        .columns
        .iter()
        .map(|col| csv_field(COLUMNS.iter().find(|(k, _)| k == col).map(|(_, l)| *l).unwrap_or("")))
        .collect::<Vec<_>>()
        .join(",")
        + "\r\n";
    let app = state.app.clone();
    let (customer, filter, columns) = (c.clone(), plan.filter, plan.columns);
    // In the page's order (its sort and direction), in chunks of 500 so a
    // long history is never held in memory.
    let body = futures_util::stream::unfold((Some(header), 0_i64, false), move |(head, offset, done)| {
        let (app, customer, filter, columns) = (app.clone(), customer.clone(), filter.clone(), columns.clone());
        async move {
            if let Some(h) = head {
                return Some((Ok::<_, std::io::Error>(h), (None, offset, done)));
            }
            if done {
                return None;
            }
            match reads::transactions(&app, &customer, &filter, CSV_CHUNK, offset).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let finished = (rows.len() as i64) < CSV_CHUNK;
                    let mut out = String::new();
                    for t in &rows {
                        let line: Vec<String> = columns.iter().map(|col| csv_cell(t, col)).collect();
                        out.push_str(&line.join(","));
                        out.push_str("\r\n");
                    }
                    Some((Ok(out), (None, offset + CSV_CHUNK, finished)))
                }
                Err(e) => {
                    tracing::error!(error = %e, "csv export");
                    Some((Err(std::io::Error::other("export failed")), (None, offset, true)))
                }
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"transactions.csv\""),
        ],
        Body::from_stream(body),
    )
        .into_response())
}
