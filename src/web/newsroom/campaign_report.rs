//! The sponsor campaigns' report, for staff with the commercial power:
//! impressions and clicks per campaign per day, as a page
//! (`/newsroom/campaigns/report`) and as CSV (`/newsroom/campaigns/report.csv`).

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::campaigns::may_sell;
use super::{NewsroomNav, Staff};
use crate::store::SponsorCounts;
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "newsroom/campaign_report.html")]
struct ReportTemplate {
    nav: NewsroomNav,
    rows: Vec<SponsorCounts>,
}

/// `GET /newsroom/campaigns/report`
pub async fn page(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    may_sell(&state, &staff).await?;
    let page = ReportTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)),
        rows: state.store.sponsor_counts(None).await?,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /newsroom/campaigns/report.csv`
pub async fn csv(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    may_sell(&state, &staff).await?;
    let rows = state.store.sponsor_counts(None).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sponsor-report.csv\"",
            ),
        ],
        to_csv(&rows),
    )
        .into_response())
}

/// The report as CSV (RFC 4180): one line per campaign and day.
fn to_csv(rows: &[SponsorCounts]) -> String {
    let mut out = String::from("day,campaign,sponsor,impressions,clicks\r\n");
    for row in rows {
        out.push_str(&format!(
            "{},{},{},{},{}\r\n",
            cell(&row.day),
            row.campaign_id,
            cell(&row.sponsor),
            row.impressions,
            row.clicks
        ));
    }
    out
}

/// One text cell: quoted when it holds a comma, quote or line break, and kept
/// from being read as a formula by a spreadsheet (a leading `=`, `+`, `-`, `@`).
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("Harbour Bank"), "Harbour Bank");
        assert_eq!(
            cell("Smith, Jones & \"Co\""),
            "\"Smith, Jones & \"\"Co\"\"\""
        );
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        let rows = [SponsorCounts {
            campaign_id: 3,
            sponsor: "A, B".into(),
            day: "2026-12-01".into(),
            impressions: 10,
            clicks: 2,
        }];
        assert_eq!(
            to_csv(&rows),
            "day,campaign,sponsor,impressions,clicks\r\n2026-12-01,3,\"A, B\",10,2\r\n"
        );
    }
}
