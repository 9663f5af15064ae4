//! Fixed pages: the editorial policy the footer's "Read more" points to.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::html;
use crate::web::edition::PageEdition;
use crate::web::reader_pages::Visitor;
use crate::web::views::Chrome;
use crate::web::{AppState, WebError};

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyTemplate {
    chrome: std::sync::Arc<Chrome>,
    time_zone: String,
}

pub async fn editorial_policy(
    State(state): State<AppState>,
    edition: PageEdition,
    visitor: Visitor,
) -> Result<Response, WebError> {
    let page = PolicyTemplate {
        chrome: Chrome::for_visitor(Chrome::new(&state, &edition.0, None), &visitor),
        time_zone: edition.time_zone_name.clone(),
    };
    Ok(html(page.render()?, &["pages".to_string()]))
}
