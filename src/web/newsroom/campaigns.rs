//! Sponsor campaigns, for staff with the commercial power (admins hold it
//! always), `/newsroom/campaigns`: the list, the form that creates or changes a
//! campaign (its picture through the same checks as every upload), ending one
//! early, and who holds the power (admins grant it). A refused form comes back
//! with every message by its field and everything typed, the picture included.
//! Campaigns run in every edition, so staff limited to some editions are refused
//! them, and the power is not granted to them.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::edition_access;
use super::form::{format_local, parse_local};
use super::{see_other, NewsroomNav, Staff};
use crate::domain::sponsor::{self, CampaignInput, Placement, Problem};
use crate::domain::timefmt;
use crate::media::{self, MediaError};
use crate::staff::{self, StaffError};
use crate::store::CampaignRecord;
use crate::web::{paths, sponsor_book, AppState, WebError};

pub const PATH: &str = "/newsroom/campaigns";
const EVERY_EDITION: &str = "Sponsor campaigns run in every edition";

/// Refuses anyone without the commercial power, and staff limited to some editions.
pub async fn may_sell(state: &AppState, staff: &Staff) -> Result<(), WebError> {
    if !staff.user.role.is_admin() && !state.store.has_commercial_power(staff.user.id).await? {
        return Err(WebError::ForbiddenBecause(
            "Sponsor campaigns are run by staff with the commercial power. An admin can grant it on the campaigns page."
                .into(),
        ));
    }
    edition_access::require_every_edition(state, staff, EVERY_EDITION)
}

/// A campaign as the list shows it.
pub struct CampaignRow {
    pub id: i64,
    pub sponsor: String,
    pub line: String,
    pub link: String,
    pub window: String,
    pub placement: String,
    pub in_print: bool,
    pub status: &'static str,
    pub ended: bool,
    pub changed: String,
}

/// A member of staff as the power's form shows them.
pub struct StaffPower {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub commercial: bool,
}

#[derive(Template)]
#[template(path = "newsroom/campaigns.html")]
struct ListTemplate {
    nav: NewsroomNav,
    csrf: String,
    campaigns: Vec<CampaignRow>,
    /// Only for admins, who grant the power.
    staff: Vec<StaffPower>,
}

/// A section or region to choose.
pub struct SectionChoice {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

/// The form as shown: what was typed, and the problems by field.
#[derive(Default)]
pub struct FormView {
    pub id: Option<i64>,
    pub sponsor: String,
    pub alt: String,
    pub line: String,
    pub link: String,
    pub starts_at: String,
    pub ends_at: String,
    pub placement: String,
    pub sections: Vec<i64>,
    pub stories: String,
    pub in_print: bool,
    /// The picture kept from an earlier attempt or the campaign as saved.
    pub image_id: Option<i64>,
    pub image_check: String,
    pub problems: Vec<Problem>,
}

impl FormView {
    /// The message for `field`, or "".
    pub fn error(&self, field: &str) -> &str {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
            .unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "newsroom/campaign_form.html")]
struct FormTemplate {
    nav: NewsroomNav,
    csrf: String,
    form: FormView,
    sections: Vec<SectionChoice>,
    picture_src: String,
    action: String,
    max_sponsor: usize,
    max_line: usize,
    max_alt: usize,
}

fn status(record: &CampaignRecord, now: i64) -> &'static str {
    let c = &record.campaign;
    if c.ends_at <= now {
        "ended"
    } else if c.starts_at > now {
        "starts later"
    } else {
        "running"
    }
}

fn placement_text(state: &AppState, placement: &Placement) -> String {
    match placement {
        Placement::Site => "The whole site".into(),
        Placement::Sections(ids) => ids
            .iter()
            .filter_map(|id| state.sections.by_id(*id).map(|s| s.name.clone()))
            .collect::<Vec<_>>()
            .join(", "),
        Placement::Stories(ids) => format!(
            "Stories {}",
            ids.iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `GET /newsroom/campaigns`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    may_sell(&state, &staff).await?;
    let tz = &state.site.time_zone;
    let now = state.now();
    let stamp = |t| timefmt::long_stamp(timefmt::from_unix(t), tz);
    let campaigns = state
        .store
        .sponsor_campaigns(None)
        .await?
        .iter()
        .map(|r| CampaignRow {
            id: r.campaign.id,
            sponsor: r.campaign.sponsor.clone(),
            line: r.campaign.line.clone(),
            link: r.campaign.link.clone(),
            window: format!(
                "{} to {}",
                stamp(r.campaign.starts_at),
                stamp(r.campaign.ends_at)
            ),
            placement: placement_text(&state, &r.campaign.placement),
            in_print: r.campaign.in_print,
            status: status(r, now),
            ended: r.campaign.ends_at <= now,
            changed: format!("{} at {}", r.updated_by, stamp(r.updated_at)),
        })
        .collect();
    let staff_powers = if staff.user.role.is_admin() {
        let commercial = state.store.commercial_staff().await?;
        state
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| !u.disabled && !u.role.is_admin())
            .map(|u| StaffPower {
                commercial: commercial.contains(&u.id),
                id: u.id,
                name: u.display_name,
                email: u.email,
                role: u.role.as_str(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = ListTemplate {
        nav: NewsroomNav::new(&state, Some(&staff)).with_notice(q.notice.as_deref()),
        csrf: staff.csrf.clone(),
        campaigns,
        staff: staff_powers,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

async fn render_form(
    state: &AppState,
    staff: &Staff,
    form: FormView,
    status: StatusCode,
) -> Result<Response, WebError> {
    let sections = state
        .sections
        .all()
        .iter()
        .map(|s| {
            let edition = state
                .editions
                .by_id(s.edition_id)
                .map(|e| e.english_name.clone())
                .unwrap_or_default();
            let kind = if s.is_region { "region" } else { "section" };
            SectionChoice {
                id: s.id,
                label: format!("{} ({kind}, {edition})", s.name),
                checked: form.sections.contains(&s.id),
            }
        })
        .collect();
    let action = match form.id {
        Some(id) => format!("{PATH}/{id}"),
        None => PATH.to_string(),
    };
    let page = FormTemplate {
        nav: NewsroomNav::new(state, Some(staff)),
        csrf: staff.csrf.clone(),
        picture_src: form
            .image_id
            .map(|id| paths::staff_image(id, sponsor_book::PICTURE_WIDTH))
            .unwrap_or_default(),
        form,
        sections,
        action,
        max_sponsor: sponsor::MAX_SPONSOR_CHARS,
        max_line: sponsor::MAX_LINE_CHARS,
        max_alt: sponsor::MAX_ALT_CHARS,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /newsroom/campaigns/new`
pub async fn new_campaign(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, WebError> {
    may_sell(&state, &staff).await?;
    let form = FormView {
        placement: "site".into(),
        ..FormView::default()
    };
    render_form(&state, &staff, form, StatusCode::OK).await
}

/// `GET /newsroom/campaigns/{id}`
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    may_sell(&state, &staff).await?;
    let record = state
        .store
        .sponsor_campaign(id)
        .await?
        .ok_or(WebError::NotFound)?;
    let c = record.campaign;
    let tz = &state.site.time_zone;
    let image_check = image_check(&state, c.image_id).await?;
    let (sections, stories) = match &c.placement {
        Placement::Site => (Vec::new(), String::new()),
        Placement::Sections(ids) => (ids.clone(), String::new()),
        Placement::Stories(ids) => (
            Vec::new(),
            ids.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    };
    let form = FormView {
        id: Some(c.id),
        sponsor: c.sponsor,
        alt: c.alt,
        line: c.line,
        link: c.link,
        starts_at: format_local(c.starts_at, tz),
        ends_at: format_local(c.ends_at, tz),
        placement: c.placement.kind().into(),
        sections,
        stories,
        in_print: c.in_print,
        image_id: Some(c.image_id),
        image_check,
        problems: Vec::new(),
    };
    render_form(&state, &staff, form, StatusCode::OK).await
}

/// What proves a kept picture was uploaded through this form: its stored
/// SHA-256, which no page shows, so a typed number cannot borrow another picture.
async fn image_check(state: &AppState, image_id: i64) -> Result<String, WebError> {
    Ok(state
        .store
        .image_meta(image_id)
        .await?
        .map(|m| m.sha256)
        .unwrap_or_default())
}

/// The form as sent: its token, what was typed, and the uploaded file.
struct Sent {
    csrf: String,
    form: FormView,
    file: Option<Vec<u8>>,
}

async fn read(mut multipart: Multipart) -> Result<Sent, WebError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge(format!(
                "The picture is too big: pictures may be at most {} MB.",
                media::MAX_UPLOAD_BYTES / (1024 * 1024)
            ))
        } else {
            WebError::BadRequest("The form could not be read: send it again.".into())
        }
    };
    let mut sent = Sent {
        csrf: String::new(),
        form: FormView::default(),
        file: None,
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let bytes = field.bytes().await.map_err(unreadable)?;
            sent.file = (!bytes.is_empty()).then(|| bytes.to_vec());
            continue;
        }
        let value = field.text().await.map_err(unreadable)?;
        let f = &mut sent.form;
        match name.as_str() {
            "csrf" => sent.csrf = value,
            "sponsor" => f.sponsor = value,
            "alt" => f.alt = value,
            "line" => f.line = value,
            "link" => f.link = value,
            "starts_at" => f.starts_at = value,
            "ends_at" => f.ends_at = value,
            "placement" => f.placement = value,
            "sections" => f.sections.extend(value.trim().parse::<i64>().ok()),
            "stories" => f.stories = value,
            "in_print" => f.in_print = !value.is_empty(),
            "image_id" => f.image_id = value.trim().parse().ok(),
            "image_check" => f.image_check = value,
            _ => {}
        }
    }
    Ok(sent)
}

/// `POST /newsroom/campaigns`: a new campaign.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Multipart,
) -> Result<Response, WebError> {
    save(state, staff, None, multipart).await
}

/// `POST /newsroom/campaigns/{id}`: changes a campaign.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    save(state, staff, Some(id), multipart).await
}

async fn save(
    state: AppState,
    staff: Staff,
    id: Option<i64>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let Sent {
        csrf,
        mut form,
        file,
    } = read(multipart).await?;
    staff.check_csrf(&csrf)?;
    may_sell(&state, &staff).await?;
    form.id = id;
    let now = state.now();
    let tz = &state.site.time_zone;
    let mut problems = Vec::new();
    // A new picture replaces the kept one; a kept one must prove where it came from.
    if let Some(bytes) = file {
        match state.editorial().store_picture(&bytes, now).await {
            Ok(Ok(image_id)) => {
                form.image_id = Some(image_id);
                form.image_check = image_check(&state, image_id).await?;
            }
            Ok(Err(e)) => {
                let message = match e {
                    MediaError::TooLarge(_) => format!("The picture is too big: {e}."),
                    _ => format!("The picture cannot be used: {e}."),
                };
                problems.push(Problem {
                    field: "file",
                    message,
                });
            }
            Err(e) => return Err(super::editorial_refusal(e)),
        }
    } else if let Some(image_id) = form.image_id {
        let proof = image_check(&state, image_id).await?;
        if proof.is_empty() || !crate::auth::same_secret(&proof, &form.image_check) {
            form.image_id = None;
            form.image_check.clear();
        }
    }
    if form.image_id.is_none() && problems.is_empty() {
        problems.push(Problem {
            field: "file",
            message: "Choose the sponsor's picture (JPEG, PNG or WebP).".into(),
        });
    }
    let mut time = |value: &str, field| match parse_local(value, tz) {
        Ok(t) => t,
        Err(message) => {
            problems.push(Problem {
                field,
                message: format!("{message}."),
            });
            None
        }
    };
    let starts_at = time(&form.starts_at, "starts_at");
    let ends_at = time(&form.ends_at, "ends_at");
    let input = CampaignInput {
        sponsor: form.sponsor.clone(),
        alt: form.alt.clone(),
        line: form.line.clone(),
        link: form.link.clone(),
        starts_at,
        ends_at,
        placement: form.placement.clone(),
        sections: form
            .sections
            .iter()
            .copied()
            .filter(|s| state.sections.by_id(*s).is_some())
            .collect(),
        stories: form.stories.clone(),
        in_print: form.in_print,
    };
    let draft = match sponsor::check(&input) {
        Ok(draft) => Some(draft),
        Err(found) => {
            // A time that could not be read already has its message.
            let unread: Vec<&'static str> = problems.iter().map(|q| q.field).collect();
            problems.extend(found.into_iter().filter(|p| {
                !(unread.contains(&p.field) && (p.field == "starts_at" || p.field == "ends_at"))
            }));
            None
        }
    };
    let (Some(draft), Some(image_id), true) = (draft, form.image_id, problems.is_empty()) else {
        form.problems = problems;
        return render_form(&state, &staff, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let saved = state
        .store
        .save_sponsor_campaign(id, &draft, image_id, &staff.user.email, now)
        .await?
        .ok_or(WebError::NotFound)?;
    changed(&state).await?;
    let notice = match id {
        Some(_) => format!("Campaign {saved} for {} saved.", draft.sponsor),
        None => format!("Campaign {saved} for {} created.", draft.sponsor),
    };
    Ok(see_other(PATH, &notice))
}

/// After a change this node committed: its copy of the campaigns is read again
/// before the answer (so the next page shows the change) and the pages that show
/// the slot are dropped here and at the CDN; other nodes follow the log.
pub async fn changed(state: &AppState) -> Result<(), WebError> {
    sponsor_book::reload(state).await?;
    crate::web::invalidation::invalidate(state, vec![crate::store::keys::SPONSORS.to_string()]);
    Ok(())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /newsroom/campaigns/{id}/end`: ends a campaign now.
pub async fn end(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    may_sell(&state, &staff).await?;
    let ended = state
        .store
        .end_sponsor_campaign(id, &staff.user.email, state.now())
        .await?;
    changed(&state).await?;
    let notice = if ended {
        format!("Campaign {id} has ended.")
    } else {
        format!("Campaign {id} had already ended.")
    };
    Ok(see_other(PATH, &notice))
}

#[derive(Deserialize)]
pub struct PowerForm {
    #[serde(default)]
    csrf: String,
    user_id: i64,
    #[serde(default)]
    grant: String,
}

/// `POST /newsroom/campaigns/staff`: an admin grants or withdraws the commercial power.
pub async fn set_power(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<PowerForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    staff.require(crate::domain::user::Role::Admin)?;
    let grant = form.grant == "yes";
    let user = state
        .store
        .user(form.user_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let every_edition: Vec<i64> = state.editions.all().iter().map(|e| e.id).collect();
    let set = staff::set_commercial_power(
        &state.store,
        &user,
        grant,
        &every_edition,
        &staff.user.email,
        state.now(),
    )
    .await;
    match set {
        Ok(_) => {}
        Err(StaffError::Invalid(why)) => {
            return Ok(see_other(PATH, &format!("Nothing was changed: {why}.")))
        }
        Err(StaffError::NoSuchUser(_)) => return Err(WebError::NotFound),
        Err(StaffError::Store(e)) => return Err(e.into()),
    }
    sponsor_book::reload(&state).await?;
    let notice = if grant {
        format!("{} may now run sponsor campaigns.", user.display_name)
    } else {
        format!("{} no longer runs sponsor campaigns.", user.display_name)
    };
    Ok(see_other(PATH, &notice))
}
