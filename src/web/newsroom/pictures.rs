//! Pictures for the text, `POST /newsroom/pictures`: the editor's script uploads a
//! dropped or pasted picture here (through the same checks as every upload) and
//! gets back JSON with its number and the reference to put in the body.

use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::{editorial_refusal, Staff};
use crate::domain::workflow::Action;
use crate::editorial::Editorial;
use crate::media::{self, MediaError};
use crate::web::{paths, AppState, WebError};

/// The width of the picture the script shows while the journalist writes its description.
const PREVIEW_WIDTH: i64 = 320;

/// A JSON answer only the caller may keep.
fn answer(status: StatusCode, value: Value) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "private, no-store")],
        axum::Json(value),
    )
        .into_response()
}

fn refusal(status: StatusCode, message: impl Into<String>) -> Response {
    answer(status, json!({ "error": message.into() }))
}

/// Stores the picture in the form's `file` field, answering `201` with its
/// number, a staff address to preview it and the body reference; a file that
/// cannot be used is `422` (too big: `413`), a stale form token `403`, each with
/// a message for the journalist.
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let (csrf, file) = match read(multipart).await {
        Ok(parts) => parts,
        Err(response) => return Ok(response),
    };
    if staff.check_csrf(&csrf).is_err() {
        return Ok(refusal(
            StatusCode::FORBIDDEN,
            "This page's security token is out of date: reload the page, then add the picture again.",
        ));
    }
    // Anyone who may write a story may put a picture in one.
    Editorial::check(staff.actor(), None, Action::Save).map_err(editorial_refusal)?;
    let Some(bytes) = file else {
        return Ok(refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a picture to upload: the file was missing or empty.",
        ));
    };
    let id = match state.editorial().store_picture(&bytes, state.now()).await {
        Ok(Ok(id)) => id,
        Ok(Err(e)) => {
            let status = match e {
                MediaError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            return Ok(refusal(status, format!("The picture cannot be used: {e}.")));
        }
        Err(e) => return Err(editorial_refusal(e)),
    };
    Ok(answer(
        StatusCode::CREATED,
        json!({
            "id": id,
            "src": paths::staff_image(id, PREVIEW_WIDTH),
            "reference": format!("image:{id}"),
        }),
    ))
}

/// The form's token and file (`None` when no file was sent, or an empty one),
/// or the JSON refusal of a form that could not be read.
async fn read(mut multipart: Multipart) -> Result<(String, Option<Vec<u8>>), Response> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "The picture is too big: pictures may be at most {} MB.",
                    media::MAX_UPLOAD_BYTES / (1024 * 1024)
                ),
            )
        } else {
            refusal(
                StatusCode::BAD_REQUEST,
                "The upload could not be read: try adding the picture again.",
            )
        }
    };
    let mut csrf = String::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(unreadable)?,
            "file" => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = (!bytes.is_empty()).then(|| bytes.to_vec());
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}
