//! Staff limited to an edition beyond the story routes: they curate only its
//! fronts and promos, moderate only comments on its stories, switch the sponsor
//! slot only on its stories, leave what reaches every edition (the
//! breaking-news banner, barring a reader, sponsor campaigns and the commercial
//! power) to others; and an admin creates an account limited to editions in one step.

use super::editions::{story, with_editions, world};
use super::sponsor_campaigns::{fields, png, post_campaign, CAMPAIGNS};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::staff::{borrow, Browser, PASSWORD};
use dateline::domain::comment::Mode;
use dateline::domain::front::Front;
use dateline::domain::user::Role;
use dateline::store::{NewComment, Posted};

/// An editor limited to the Arabic edition.
async fn arabic_editor(node: &TestApp) -> Browser {
    let editor = node.staff(Role::Editor).await;
    let user = node
        .store
        .user_by_email(&editor.email)
        .await
        .unwrap()
        .unwrap();
    let arabic = node.state.editions.by_key("arabic").unwrap().id;
    node.store
        .set_staff_editions(user.id, &[arabic], "test", "user", "Arabic", 0)
        .await
        .unwrap();
    editor
}

/// POSTs `fields` and returns the status and page.
async fn post(
    node: &TestApp,
    staff: &Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let response = staff.post(node, path, fields).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// POSTs `fields`, expects 403 and a page that says `says`.
async fn refused(node: &TestApp, staff: &Browser, path: &str, fields: &[(&str, &str)], says: &str) {
    let (status, page) = post(node, staff, path, fields).await;
    assert_eq!(status, 403, "{path}");
    assert!(page.contains(says), "{says} in {page}");
}

const NOT_ENGLISH: &str = "the English edition, and your account works only in the Arabic edition.";

async fn curation_is_limited_to_their_editions(app: TestApp) {
    let node = with_editions(&app).await;
    let arabic_id = node.state.editions.by_key("arabic").unwrap().id;
    let en = story(&node, node.section_id("europe"), "Harbour floods").await;
    let ar = story(&node, world(&node, "arabic"), "فيضان الميناء").await;
    let ru = story(&node, world(&node, "russian"), "Наводнение в порту").await;
    let editor = node.staff(Role::Editor).await;
    let (en_s, ar_s, ru_s) = (
        format!("promo_{en}"),
        format!("promo_{ar}"),
        format!("promo_{ru}"),
    );
    let (status, _) = post(
        &node,
        &editor,
        "/newsroom/promos",
        &[(&en_s, "1"), (&ar_s, "2"), (&ru_s, "3")],
    )
    .await;
    assert_eq!(status, 303);
    let limited = arabic_editor(&node).await;

    // Their fronts only, the Arabic front page first; their promos only.
    let (status, page) = limited.get(&node, "/newsroom/fronts").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h2>Arabic front page</h2>"), "{page}");
    assert!(!page.contains(">Front page<") && !page.contains("Russian front page"));
    assert!(page.contains("فيضان الميناء") && page.contains("Promos in your editions"));
    assert!(!page.contains("Harbour floods") && !page.contains("Наводнение в порту"));
    let (status, page) = limited.get(&node, "/newsroom/fronts?front=home").await;
    assert_eq!(status, 403);
    assert!(
        page.contains(&format!("This front is in {NOT_ENGLISH}")),
        "{page}"
    );

    // Another edition's front, or another edition's story on their front: refused.
    let ar_pos = format!("pos_{ar}");
    let en_pos = format!("pos_{en}");
    refused(
        &node,
        &limited,
        "/newsroom/fronts",
        &[("front", "home"), (&ar_pos, "1")],
        &format!("This front is in {NOT_ENGLISH}"),
    )
    .await;
    let arabic_home = format!("home:{arabic_id}");
    refused(
        &node,
        &limited,
        "/newsroom/fronts",
        &[("front", &arabic_home), (&en_pos, "1")],
        &format!("This story is in {NOT_ENGLISH}"),
    )
    .await;
    let home = Front::Home(1);
    assert!(node
        .store
        .placements(home, &node.state.sections)
        .await
        .unwrap()
        .is_empty());
    let (status, _) = post(
        &node,
        &limited,
        "/newsroom/fronts",
        &[("front", &arabic_home), (&ar_pos, "1")],
    )
    .await;
    assert_eq!(status, 303);
    let arabic_front = Front::Home(arabic_id);
    assert_eq!(
        node.store
            .placements(arabic_front, &node.state.sections)
            .await
            .unwrap(),
        [ar]
    );

    // Promos: another edition's story is refused; theirs change, the others' stay.
    refused(
        &node,
        &limited,
        "/newsroom/promos",
        &[(&en_s, "1")],
        &format!("This story is in {NOT_ENGLISH}"),
    )
    .await;
    assert_eq!(node.store.promo_ids().await.unwrap(), [en, ar, ru]);
    let (status, _) = post(&node, &limited, "/newsroom/promos", &[]).await;
    assert_eq!(status, 303);
    assert_eq!(node.store.promo_ids().await.unwrap(), [en, ru]);
    let (status, _) = post(&node, &limited, "/newsroom/promos", &[(&ar_s, "1")]).await;
    assert_eq!(status, 303);
    let mut promos = node.store.promo_ids().await.unwrap();
    promos.sort();
    assert_eq!(promos, [en, ar, ru]);

    // The banner runs in every edition: not theirs, and not in their menu.
    let (_, desk) = limited.get(&node, "/newsroom").await;
    assert!(!desk.contains("/newsroom/breaking-news") && desk.contains("/newsroom/fronts"));
    let (status, page) = limited.get(&node, "/newsroom/breaking-news").await;
    assert_eq!(status, 403);
    assert!(
        page.contains("The breaking-news banner runs in every edition"),
        "{page}"
    );
    let (status, _) = post(
        &node,
        &limited,
        "/newsroom/breaking-news",
        &[("text", "Flood warning"), ("link", "")],
    )
    .await;
    assert_eq!(status, 403);
    assert!(node.store.breaking_news().await.unwrap().is_none());
    let (_, desk) = editor.get(&node, "/newsroom").await;
    assert!(desk.contains("/newsroom/breaking-news"));
    drop(node);
}

/// A pre-moderated comment by `reader` on `story`.
async fn comment(node: &TestApp, story: i64, reader: i64, body: &str) -> i64 {
    node.store
        .set_comment_settings(story, Mode::PreModerated, false, "test", "", 0)
        .await
        .unwrap();
    let posted = node
        .store
        .post_comment(&NewComment {
            story_id: story,
            reader_id: reader,
            parent_id: None,
            body,
            at: node.clock.now(),
        })
        .await
        .unwrap();
    let Posted::Stored { id, .. } = posted else {
        panic!("the comment was refused: {posted:?}");
    };
    id
}

async fn moderation_is_limited_to_their_editions(app: TestApp) {
    let node = with_editions(&app).await;
    let en = story(&node, node.section_id("europe"), "Harbour floods").await;
    let ar = story(&node, world(&node, "arabic"), "فيضان الميناء").await;
    let reader = node
        .verified_reader(
            "commenter@example.net",
            "Commenter",
            crate::readers::visitor::READER_PASSWORD,
        )
        .await;
    let on_en = comment(&node, en, reader, "A comment in English.").await;
    let on_ar = comment(&node, ar, reader, "تعليق باللغة العربية.").await;
    let limited = arabic_editor(&node).await;

    let (status, queue) = limited.get(&node, "/newsroom/comments").await;
    assert_eq!(status, 200);
    assert!(queue.contains("تعليق باللغة العربية.") && !queue.contains("A comment in English."));
    let (status, page) = post(
        &node,
        &limited,
        &format!("/newsroom/comments/{on_en}/approve"),
        &[("reason", "")],
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        page.contains(&format!("This comment is on a story in {NOT_ENGLISH}")),
        "{page}"
    );
    assert_eq!(
        node.store.comment(on_en).await.unwrap().unwrap().status,
        "pending"
    );
    let (status, _) = post(
        &node,
        &limited,
        &format!("/newsroom/comments/{on_ar}/approve"),
        &[("reason", "")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        node.store.comment(on_ar).await.unwrap().unwrap().status,
        "published"
    );

    // The reader's history shows their edition's comments, without the bar form;
    // barring, which reaches every edition, is refused.
    let (status, history) = limited
        .get(&node, &format!("/newsroom/readers/{reader}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        history.contains("تعليق باللغة العربية.") && !history.contains("A comment in English.")
    );
    assert!(!history.contains("Bar from commenting"));
    let (status, page) = post(
        &node,
        &limited,
        &format!("/newsroom/readers/{reader}/ban"),
        &[("reason", "Spam")],
    )
    .await;
    assert_eq!(status, 403);
    assert!(page.contains("Barring a reader stops them commenting in every edition"));
    assert!(node
        .store
        .reader(reader)
        .await
        .unwrap()
        .unwrap()
        .banned_at
        .is_none());

    // Anyone not limited moderates every edition's comments.
    let editor = node.staff(Role::Editor).await;
    let (_, queue) = editor.get(&node, "/newsroom/comments").await;
    assert!(queue.contains("A comment in English."));
    let (_, history) = editor
        .get(&node, &format!("/newsroom/readers/{reader}"))
        .await;
    assert!(history.contains("Bar from commenting"));
    drop(node);
}

async fn the_sponsor_slot_and_campaigns_follow_the_limits(app: TestApp) {
    let node = with_editions(&app).await;
    let en = story(&node, node.section_id("europe"), "Harbour floods").await;
    let ar = story(&node, world(&node, "arabic"), "فيضان الميناء").await;
    let limited = arabic_editor(&node).await;
    let limited_id = node
        .store
        .user_by_email(&limited.email)
        .await
        .unwrap()
        .unwrap()
        .id;
    let slot = |id: i64| format!("/newsroom/stories/{id}/sponsor-slot");

    // Another edition's story: its slot is neither shown nor switched.
    let (status, page) = limited.get(&node, &slot(en)).await;
    assert_eq!(status, 403);
    assert!(
        page.contains(&format!("This story is in {NOT_ENGLISH}")),
        "{page}"
    );
    refused(
        &node,
        &limited,
        &slot(en),
        &[("slot", "off")],
        &format!("This story is in {NOT_ENGLISH}"),
    )
    .await;
    assert!(!node.store.sponsor_slot_off(en).await.unwrap());
    let audit = node.store.audit_entries(None, 5).await.unwrap();
    assert!(!audit.iter().any(|e| e.action.starts_with("sponsor slot")));
    // Their edition's story, and anyone not limited on any story: switched.
    let (status, _) = post(&node, &limited, &slot(ar), &[("slot", "off")]).await;
    assert_eq!(status, 303);
    assert!(node.store.sponsor_slot_off(ar).await.unwrap());
    let editor = node.staff(Role::Editor).await;
    let (status, _) = post(&node, &editor, &slot(en), &[("slot", "off")]).await;
    assert_eq!(status, 303);
    assert!(node.store.sponsor_slot_off(en).await.unwrap());

    // A campaign may run in every edition: the power is not granted to them.
    let admin = node.staff(Role::Admin).await;
    let grant = [("user_id", limited_id.to_string()), ("grant", "yes".into())];
    let response = admin
        .post(&node, "/newsroom/campaigns/staff", &borrow(&grant))
        .await;
    assert_eq!(response.status(), 303);
    let notice = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        notice.contains("Nothing+was+changed") && notice.contains("works+only+in+some+editions"),
        "{notice}"
    );
    assert!(!node.store.has_commercial_power(limited_id).await.unwrap());
    let audit = node.store.audit_entries(None, 5).await.unwrap();
    assert!(!audit.iter().any(|e| e.action == "commercial power granted"));

    // Held from before they were limited, it runs nothing, and the menu does not offer it.
    node.store
        .set_commercial_power(limited_id, true, "test", 0)
        .await
        .unwrap();
    dateline::web::sponsor_book::reload(&node.state)
        .await
        .unwrap();
    for path in [
        CAMPAIGNS,
        "/newsroom/campaigns/new",
        "/newsroom/campaigns/report",
    ] {
        let (status, page) = limited.get(&node, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(
            page.contains("Sponsor campaigns run in every edition"),
            "{page}"
        );
    }
    let response = post_campaign(
        &node,
        &limited,
        CAMPAIGNS,
        &fields(&node, "Sneaky"),
        Some(png()),
    )
    .await;
    assert_eq!(response.status(), 403);
    assert!(node.store.sponsor_campaigns(None).await.unwrap().is_empty());
    let (_, desk) = limited.get(&node, "/newsroom").await;
    assert!(!desk.contains("href=\"/newsroom/campaigns\""), "{desk}");
    drop(node);
}

/// The new account form's fields: an editor called "Desk" working in `editions`.
fn account_form(email: &str, editions: &[i64]) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("email", email.to_string()),
        ("name", "Desk".to_string()),
        ("role", "editor".to_string()),
    ];
    fields.extend(editions.iter().map(|id| ("edition", id.to_string())));
    fields
}

async fn a_new_account_is_limited_to_editions_as_it_is_made(app: TestApp) {
    let node = with_editions(&app).await;
    let (arabic, russian) = (
        node.state.editions.by_key("arabic").unwrap().id,
        node.state.editions.by_key("russian").unwrap().id,
    );
    let admin = node.staff(Role::Admin).await;
    let (_, page) = admin.get(&node, "/newsroom/users").await;
    assert!(page.contains("Editions the new account works in (none ticked: all editions)"));
    // Limited to the ticked editions, from the start.
    let (status, page) = post(
        &node,
        &admin,
        "/newsroom/users",
        &borrow(&account_form("ar-desk@example.org", &[arabic, russian])),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Account created for ar-desk@example.org."));
    let user = node
        .store
        .user_by_email("ar-desk@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        node.store.staff_editions(user.id).await.unwrap(),
        [arabic, russian]
    );
    let audit = node.store.audit_entries(None, 5).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "create account"
        && e.subject == "user ar-desk@example.org"
        && e.detail == "editor, working in Arabic, Russian"));

    // Every edition ticked is every edition, as none is.
    let all: Vec<i64> = node.state.editions.all().iter().map(|e| e.id).collect();
    let form = account_form("all@example.org", &all);
    let (status, _) = post(&node, &admin, "/newsroom/users", &borrow(&form)).await;
    assert_eq!(status, 200);
    let user = node
        .store
        .user_by_email("all@example.org")
        .await
        .unwrap()
        .unwrap();
    assert!(node.store.staff_editions(user.id).await.unwrap().is_empty());

    // A refused account is not made, and the form keeps the boxes ticked.
    let (status, page) = post(
        &node,
        &admin,
        "/newsroom/users",
        &borrow(&account_form("ar-desk@example.org", &[arabic])),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("there is already an account for ar-desk@example.org"));
    assert!(page.contains(&format!(
        "<input type=\"checkbox\" name=\"edition\" value=\"{arabic}\" checked> Arabic"
    )));
    let count = node.store.users().await.unwrap().len();

    // The limited account works in its editions only, once signed in.
    let limited = dateline::staff::create_account(
        &node.store,
        &dateline::staff::NewAccount {
            email: "ru-desk@example.org",
            name: "Russian desk",
            role: Role::Editor,
            password: PASSWORD,
            editions: &[node.state.editions.by_id(russian).unwrap()],
        },
        "test",
        0,
    )
    .await
    .unwrap();
    assert_eq!(node.store.users().await.unwrap().len(), count + 1);
    let browser = node.sign_in(&limited.email, PASSWORD).await.unwrap();
    let en = story(&node, node.section_id("europe"), "Harbour floods").await;
    let (status, _) = browser.get(&node, &format!("/newsroom/stories/{en}")).await;
    assert_eq!(status, 403);
    drop(node);
}

on_both_databases!(
    curation_is_limited_to_their_editions,
    moderation_is_limited_to_their_editions,
    the_sponsor_slot_and_campaigns_follow_the_limits,
    a_new_account_is_limited_to_editions_as_it_is_made,
);
