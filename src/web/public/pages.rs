//! Fixed pages: the editorial policy the footer's "Read more" points to.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::html;
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
    visitor: Visitor,
) -> Result<Response, WebError> {
    let page = PolicyTemplate {
        chrome: Chrome::for_visitor(&state, None, &visitor),
        time_zone: state.site.time_zone_name.clone(),
    };
    Ok(html(page.render()?, &["pages".to_string()]))
}
