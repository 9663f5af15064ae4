//! Only an editor may lift an embargo or bring it forward: a reporter's save that
//! would is refused with the reason beside the embargo field and changes nothing; a
//! reporter may lengthen an embargo; an editor may shorten and lift it.

use super::workflow::save;
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::staff::{borrow, story_fields, story_id_from, Browser};
use dateline::domain::user::Role;

on_both_databases!(only_an_editor_lifts_or_shortens_an_embargo);

const REFUSAL: &str = "only an editor can lift an embargo or bring it forward";
const HEADLINE: &str = "Budget figures under embargo";

/// What the story's editor page shows: the embargo field, the base revision, the headline.
#[derive(Debug, PartialEq)]
struct Shown {
    embargo: String,
    base_revision: String,
    headline: String,
    notice: bool,
}

/// The `value` of the first input named `name` on a page.
fn value_of(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let rest = &page[at..];
    let start = rest.find("value=\"").expect("a value") + "value=\"".len();
    rest[start..].split('"').next().unwrap_or("").to_string()
}

async fn shown(app: &TestApp, who: &Browser, id: i64) -> Shown {
    let (status, page) = who.get(app, &format!("/newsroom/stories/{id}")).await;
    assert_eq!(status, 200, "the editor page");
    Shown {
        embargo: value_of(&page, "embargo"),
        base_revision: value_of(&page, "base_revision"),
        headline: value_of(&page, "headline"),
        notice: page.contains("EMBARGOED until"),
    }
}

async fn only_an_editor_lifts_or_shortens_an_embargo(app: TestApp) {
    let reporter = app.staff(Role::Reporter).await;
    let editor = app.staff(Role::Editor).await;
    let tz = app.state.site.time_zone.clone();
    let local = |at: i64| {
        dateline::domain::timefmt::from_unix(at)
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let until = app.clock.now() + 6 * 3600;

    // The reporter writes their own story under an embargo.
    let mut fields = story_fields(app.section_id("europe"), HEADLINE, "save");
    fields.push(("embargo", local(until)));
    let response = reporter
        .post_story(&app, "/newsroom/stories", &borrow(&fields), None)
        .await;
    assert_eq!(response.status(), 303, "the reporter sets an embargo");
    let id = story_id_from(&response);
    let before = shown(&app, &reporter, id).await;
    assert_eq!(
        before,
        Shown {
            embargo: local(until),
            base_revision: "1".to_string(),
            headline: HEADLINE.to_string(),
            notice: true,
        }
    );

    // Lifting it or bringing it forward, by a save or a submission, is refused.
    let earlier = local(until - 3600);
    for (what, embargo, action) in [
        ("lift", "", "save"),
        ("bring forward", earlier.as_str(), "save"),
        ("lift on submitting", "", "submit"),
    ] {
        let response = save(
            &app,
            &reporter,
            id,
            &[
                ("headline", "Changed by the reporter"),
                ("embargo", embargo),
                ("action", action),
            ],
        )
        .await;
        assert_eq!(response.status(), 422, "a reporter's {what}");
        let page = response.text().await.expect("the form");
        let field = page
            .split("id=\"embargo\"")
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap_or("");
        assert!(
            field.contains(&format!("<span class=\"field-error\">{REFUSAL}</span>")),
            "a reporter's {what}: the reason beside the embargo field: {field}"
        );
        assert!(
            page.contains("value=\"Changed by the reporter\""),
            "a reporter's {what}: the form keeps what was typed"
        );
        assert_eq!(
            shown(&app, &reporter, id).await,
            before,
            "a reporter's {what} changed the story"
        );
        let (_, list) = editor.get(&app, "/newsroom/stories?show=review").await;
        assert!(!list.contains(HEADLINE), "a reporter's {what} submitted it");
    }
    assert_eq!(app.store.revisions(id).await.expect("revisions").len(), 1);

    // Lengthening is the reporter's to do.
    let later = local(until + 3600);
    let response = save(
        &app,
        &reporter,
        id,
        &[("headline", HEADLINE), ("embargo", later.as_str())],
    )
    .await;
    assert_eq!(response.status(), 303, "a reporter lengthens the embargo");
    let lengthened = shown(&app, &reporter, id).await;
    assert_eq!(
        (
            lengthened.embargo.as_str(),
            lengthened.base_revision.as_str()
        ),
        (later.as_str(), "2")
    );

    // An editor may bring it forward, and lift it.
    let response = save(
        &app,
        &editor,
        id,
        &[("headline", HEADLINE), ("embargo", earlier.as_str())],
    )
    .await;
    assert_eq!(
        response.status(),
        303,
        "an editor brings the embargo forward"
    );
    let shortened = shown(&app, &editor, id).await;
    assert_eq!(
        (shortened.embargo.as_str(), shortened.notice),
        (earlier.as_str(), true)
    );
    let response = save(
        &app,
        &editor,
        id,
        &[("headline", HEADLINE), ("embargo", "")],
    )
    .await;
    assert_eq!(response.status(), 303, "an editor lifts the embargo");
    let lifted = shown(&app, &editor, id).await;
    assert_eq!(
        (
            lifted.embargo.as_str(),
            lifted.notice,
            lifted.base_revision.as_str()
        ),
        ("", false, "4")
    );
}
