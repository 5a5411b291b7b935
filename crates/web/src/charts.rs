//! Chart adapters: account data in, inline SVG out (portico-render draws).

use portico_domain::loan::ScheduleRow;
use portico_render::chart::{self, AmortPoint, Slice, Tone};
use time::Date;

pub fn paid_vs_remaining(paid: i64, remaining: i64) -> String {
    chart::pie(
        "Principal paid and remaining",
        &[
            Slice { label: "Paid".into(), value: paid, tone: Tone::Primary },
            Slice { label: "Remaining".into(), value: remaining, tone: Tone::Muted },
        ],
    )
}

/// The amortization chart of a schedule with a "Today" marker.
pub fn amortization(schedule: &[ScheduleRow], today: Date) -> String {
    let (mut cum_p, mut cum_i) = (0, 0);
    let points: Vec<AmortPoint> = schedule
        .iter()
        .map(|r| {
            cum_p += r.principal.0;
            cum_i += r.interest.0;
            AmortPoint {
                label: r
                    .due_date
                    .format(time::macros::format_description!("[month repr:short] [year]"))
                    .unwrap_or_default(),
                balance: r.balance.0,
                cumulative_principal: cum_p,
                cumulative_interest: cum_i,
            }
        })
        .collect();
    let today_index = schedule.iter().rposition(|r| r.due_date <= today);
    chart::amortization_with_marker("Amortization schedule", &points, today_index)
}
