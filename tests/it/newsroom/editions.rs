//! Editions in the newsroom (issue 19), over HTTP: linking a story's versions
//! in other editions and every refusal, unlinking, holding back versions under
//! an embargo (or not), killing one version alone, and staff limited to some
//! editions.

use crate::helpers::{full_story, TestApp};
use crate::newsroom::workflow::save;
use crate::on_both_databases;
use crate::staff::{borrow, story_fields, story_id_from};
use dateline::domain::story::Status;
use dateline::domain::user::Role;

const EDITIONS: &str = r#"
[[edition]]
key = "arabic"
language = "ar"
direction = "rtl"
name = "العربية"
english_name = "Arabic"
prefix = "/arabic"
time_zone = "GMT"
site_name = "Dateline عربي"
locale = "ar"
  [[edition.section]]
  slug = "world"
  name = "العالم"

[[edition]]
key = "russian"
language = "ru"
direction = "ltr"
name = "Русский"
english_name = "Russian"
prefix = "/russian"
time_zone = "Europe/Moscow"
site_name = "Dateline по-русски"
locale = "ru"
  [[edition.section]]
  slug = "world"
  name = "Мир"
"#;

/// Another node over `app`'s database once the Arabic and Russian editions are
/// in it (a node reads its editions when it starts). Drop it before `app`.
pub(super) async fn with_editions(app: &TestApp) -> TestApp {
    dateline::editions::add(&app.store, EDITIONS)
        .await
        .expect("add editions");
    app.another_node().await
}

/// The "world" section of an edition.
pub(super) fn world(app: &TestApp, key: &str) -> i64 {
    let edition = app.state.editions.by_key(key).expect("edition").id;
    app.state
        .sections
        .by_slug(edition, "world")
        .expect("world section")
        .id
}

/// Publishes a story in `section` (as the fixtures' editor).
pub(super) async fn story(app: &TestApp, section: i64, headline: &str) -> i64 {
    app.publish(&full_story(section, None, headline), app.clock.now() - 60)
        .await
}

/// The editor's message by the "Link a translation" field, if any.
fn version_error(page: &str) -> String {
    page.split("id=\"translation-error\" role=\"alert\">")
        .nth(1)
        .and_then(|p| p.split('<').next())
        .unwrap_or("")
        .to_string()
}

async fn link_and_unlink_with_every_refusal(app: TestApp) {
    let node = with_editions(&app).await;
    let europe = node.section_id("europe");
    let (arabic, russian) = (world(&node, "arabic"), world(&node, "russian"));
    let en = story(&node, europe, "Summit opens").await;
    let en2 = story(&node, europe, "Port closes").await;
    let ar = story(&node, arabic, "افتتاح القمة").await;
    let ar2 = story(&node, arabic, "إغلاق الميناء").await;
    let ru = story(&node, russian, "Открытие саммита").await;
    let ru2 = story(&node, russian, "Закрытие порта").await;
    let editor = node.staff(Role::Editor).await;
    let link = |story: i64, number: String| {
        let (node, editor) = (&node, &editor);
        async move {
            let response = editor
                .post(
                    node,
                    &format!("/newsroom/stories/{story}/versions"),
                    &[("number", number.as_str())],
                )
                .await;
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };

    // Refusals, each by the field with the number as typed.
    let (status, page) = link(en, en.to_string()).await;
    assert_eq!(status, 422);
    assert_eq!(version_error(&page), "A story cannot be linked to itself.");
    let (status, page) = link(en, en2.to_string()).await;
    assert_eq!(status, 422);
    assert_eq!(
        version_error(&page),
        format!(
            "Story {en2} is in the English edition too: a translation must be in another edition."
        )
    );
    assert!(page.contains(&format!("value=\"{en2}\"")), "number kept");
    let (status, page) = link(en, "999999".into()).await;
    assert_eq!(status, 422);
    assert_eq!(version_error(&page), "There is no story 999999.");
    let (status, page) = link(en, "twelve".into()).await;
    assert_eq!(status, 422);
    assert!(
        version_error(&page).contains("is not a story number"),
        "{page}"
    );

    // A link, seen from both stories, with its audit row and both stories' log rows.
    let log_before = node.store.last_invalidation().await.unwrap();
    let (status, _) = link(en, ar.to_string()).await;
    assert_eq!(status, 303);
    assert_eq!(node.store.translations(en).await.unwrap(), vec![ar]);
    assert_eq!(node.store.translations(ar).await.unwrap(), vec![en]);
    let logged: Vec<String> = node
        .store
        .invalidations_between(log_before, i64::MAX)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.keys)
        .collect();
    for key in [format!("story-{en}"), format!("story-{ar}")] {
        assert!(
            logged.iter().any(|k| k.split(' ').any(|k| k == key)),
            "{key} in {logged:?}"
        );
    }
    let audit = node.store.audit_entries(None, 5).await.unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "link translation" && e.subject == format!("story {en}")));
    let (_, page) = editor.get(&node, &format!("/newsroom/stories/{en}")).await;
    assert!(page.contains("Versions in other editions"));
    assert!(page.contains("افتتاح القمة") && page.contains("Arabic"));
    assert!(page.contains(&format!("href=\"/newsroom/stories/{ar}\"")));
    let (_, page) = editor.get(&node, &format!("/newsroom/stories/{ar}")).await;
    assert!(page.contains("Summit opens") && page.contains("English"));

    // Linking to a translation links to its original's group.
    let (status, _) = link(ru, ar.to_string()).await;
    assert_eq!(status, 303);
    assert_eq!(node.store.translations(en).await.unwrap(), vec![ar, ru]);
    assert_eq!(node.store.translations(ru).await.unwrap(), vec![en, ar]);

    // The edition already has a version; already linked; both in other groups.
    let (status, page) = link(en, ar2.to_string()).await;
    assert_eq!(status, 422);
    assert_eq!(
        version_error(&page),
        format!(
            "The Arabic edition already has a version of this story (story {ar}): unlink it first."
        )
    );
    let (_, page) = link(ar, ru.to_string()).await;
    assert_eq!(
        version_error(&page),
        format!("Story {ru} is already a version of this story.")
    );
    assert_eq!(link(en2, ru2.to_string()).await.0, 303);
    let (_, page) = link(ar, ru2.to_string()).await;
    assert!(
        version_error(&page).contains("already has versions of its own"),
        "{page}"
    );

    // Unlinking: a translation leaves; from a translation's page, the original stays and it leaves.
    let unlink = |story: i64, other: i64| {
        let (node, editor) = (&node, &editor);
        async move {
            let response = editor
                .post(
                    node,
                    &format!("/newsroom/stories/{story}/versions/unlink"),
                    &[("other", other.to_string().as_str())],
                )
                .await;
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    assert_eq!(unlink(en, ar).await.0, 303);
    assert_eq!(node.store.translations(en).await.unwrap(), vec![ru]);
    assert_eq!(unlink(ru, en).await.0, 303);
    assert!(node.store.translations(en).await.unwrap().is_empty());
    let (status, page) = unlink(en, ar).await;
    assert_eq!(status, 422);
    assert_eq!(
        version_error(&page),
        format!("Story {ar} is not a version of this story.")
    );

    // Reporters see the list on their own story, without the forms, and may not link.
    let reporter = node.staff(Role::Reporter).await;
    let fields = story_fields(arabic, "Own Arabic draft", "save");
    let created = reporter
        .post_story(&node, "/newsroom/stories", &borrow(&fields), None)
        .await;
    let own = story_id_from(&created);
    assert_eq!(link(own, en.to_string()).await.0, 303);
    let (status, page) = reporter
        .get(&node, &format!("/newsroom/stories/{own}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Versions in other editions") && page.contains("Summit opens"));
    assert!(!page.contains("Link a translation") && !page.contains("versions/unlink"));
    let refused = reporter
        .post(
            &node,
            &format!("/newsroom/stories/{own}/versions"),
            &[("number", en2.to_string().as_str())],
        )
        .await;
    assert_eq!(refused.status(), 403);
    drop(node);
}

async fn an_embargo_holds_back_versions_only_when_asked(app: TestApp) {
    let node = with_editions(&app).await;
    let europe = node.section_id("europe");
    let (arabic, russian) = (world(&node, "arabic"), world(&node, "russian"));
    let en = story(&node, europe, "Budget leaks").await;
    let ar = story(&node, arabic, "تسريب الميزانية").await;
    let ru = story(&node, russian, "Утечка бюджета").await;
    let en2 = story(&node, europe, "Rates rise").await;
    let ar2 = story(&node, arabic, "ارتفاع الأسعار").await;
    let editor = node.staff(Role::Editor).await;
    for (story, other) in [(en, ar), (en, ru), (en2, ar2)] {
        let response = editor
            .post(
                &node,
                &format!("/newsroom/stories/{story}/versions"),
                &[("number", other.to_string().as_str())],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    // The form offers it, unticked.
    let (_, page) = editor.get(&node, &format!("/newsroom/stories/{en}")).await;
    assert!(page.contains(
        "<input type=\"checkbox\" name=\"hold_back\" value=\"1\"> Hold back its translations too"
    ));

    let response = save(
        &node,
        &editor,
        en,
        &[
            ("headline", "Budget leaks"),
            ("embargo", "2031-03-01T09:00"),
            ("hold_back", "1"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let until = node.store.story(en).await.unwrap().unwrap().embargo_until;
    assert!(until.is_some());
    for version in [ar, ru] {
        let held = node.store.story(version).await.unwrap().unwrap();
        assert_eq!(held.embargo_until, until, "story {version} held back");
    }
    let audit = node.store.audit_entries(None, 10).await.unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "embargo" && e.subject == format!("story {ar}")));

    // Unticked: the other versions stay as they are.
    let response = save(
        &node,
        &editor,
        en2,
        &[("headline", "Rates rise"), ("embargo", "2031-03-01T09:00")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(node
        .store
        .story(en2)
        .await
        .unwrap()
        .unwrap()
        .embargo_until
        .is_some());
    assert_eq!(
        node.store.story(ar2).await.unwrap().unwrap().embargo_until,
        None
    );
    drop(node);
}

async fn killing_one_version_kills_none_of_the_others(app: TestApp) {
    let node = with_editions(&app).await;
    let europe = node.section_id("europe");
    let arabic = world(&node, "arabic");
    let en = story(&node, europe, "Minister resigns").await;
    let ar = story(&node, arabic, "استقالة الوزير").await;
    let editor = node.staff(Role::Editor).await;
    let linked = editor
        .post(
            &node,
            &format!("/newsroom/stories/{en}/versions"),
            &[("number", ar.to_string().as_str())],
        )
        .await;
    assert_eq!(linked.status(), 303);
    let killed = editor
        .post(
            &node,
            &format!("/newsroom/stories/{en}/kill"),
            &[("confirm", "yes"), ("reason", "Legal")],
        )
        .await;
    assert_eq!(killed.status(), 303);
    assert_eq!(
        node.store.story(en).await.unwrap().unwrap().status,
        Status::Killed
    );
    let version = node.store.story(ar).await.unwrap().unwrap();
    assert_eq!(version.status, Status::Published);
    let section = node.state.sections.by_id(arabic).unwrap();
    let path = dateline::web::paths::story(section, &version.content.slug, ar);
    assert_eq!(node.page(&path).await.0, 200, "{path} still public");
    drop(node);
}

async fn staff_limited_to_an_edition_work_only_there(app: TestApp) {
    let node = with_editions(&app).await;
    let europe = node.section_id("europe");
    let arabic = world(&node, "arabic");
    let arabic_id = node.state.editions.by_key("arabic").unwrap().id;
    let en = story(&node, europe, "Harbour floods").await;
    let ar = story(&node, arabic, "فيضان الميناء").await;
    let admin = node.staff(Role::Admin).await;
    let limited = node.staff(Role::Editor).await;
    let user = node
        .store
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == limited.email)
        .unwrap();
    let set = admin
        .post(
            &node,
            &format!("/newsroom/users/{}", user.id),
            &[
                ("set_editions", "1"),
                ("edition", arabic_id.to_string().as_str()),
            ],
        )
        .await;
    assert_eq!(set.status(), 303);
    let (_, users) = admin.get(&node, "/newsroom/users").await;
    assert!(users.contains("All editions") && users.contains("<td>Arabic</td>"));

    // Another edition's story: not shown, not changed, with the reason.
    let (status, page) = limited.get(&node, &format!("/newsroom/stories/{en}")).await;
    assert_eq!(status, 403);
    assert!(
        page.contains("This story is in the English edition, and your account works only in the Arabic edition."),
        "{page}"
    );
    for (path, fields) in [
        (
            format!("/newsroom/stories/{en}/kill"),
            vec![("confirm", "yes")],
        ),
        (
            format!("/newsroom/stories/{en}/versions"),
            vec![("number", "1")],
        ),
        (
            format!("/newsroom/stories/{en}/correct"),
            vec![("text", "A fix.")],
        ),
    ] {
        assert_eq!(
            limited.post(&node, &path, &fields).await.status(),
            403,
            "{path}"
        );
    }
    assert_eq!(
        node.store.story(en).await.unwrap().unwrap().status,
        Status::Published
    );
    let publish = story_fields(europe, "Harbour floods", "publish");
    let refused = limited
        .post_story(
            &node,
            &format!("/newsroom/stories/{en}"),
            &borrow(&publish),
            None,
        )
        .await;
    assert_eq!(refused.status(), 403);
    let create = story_fields(europe, "An English story", "save");
    let refused = limited
        .post_story(&node, "/newsroom/stories", &borrow(&create), None)
        .await;
    assert_eq!(refused.status(), 403);

    // Their own edition: the editor, only its sections, and their lists.
    let (status, page) = limited.get(&node, &format!("/newsroom/stories/{ar}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<optgroup label=\"Arabic\">"));
    assert!(
        !page.contains("<optgroup label=\"English\">")
            && !page.contains("<optgroup label=\"Russian\">")
    );
    let create = story_fields(arabic, "An Arabic story", "save");
    let created = limited
        .post_story(&node, "/newsroom/stories", &borrow(&create), None)
        .await;
    assert_eq!(created.status(), 303);
    let (_, list) = limited.get(&node, "/newsroom/stories?show=all").await;
    assert!(list.contains("فيضان الميناء") && !list.contains("Harbour floods"));
    let (_, desk) = limited.get(&node, "/newsroom").await;
    assert!(desk.contains("فيضان الميناء") && !desk.contains("Harbour floods"));

    // Anyone not limited sees every edition's stories and sections.
    let editor = node.staff(Role::Editor).await;
    let (_, list) = editor.get(&node, "/newsroom/stories?show=all").await;
    assert!(list.contains("فيضان الميناء") && list.contains("Harbour floods"));
    let (_, page) = editor.get(&node, "/newsroom/stories/new").await;
    assert!(
        page.contains("<optgroup label=\"English\">")
            && page.contains("<optgroup label=\"Russian\">")
    );

    // Ticking none gives every edition back.
    let set = admin
        .post(
            &node,
            &format!("/newsroom/users/{}", user.id),
            &[("set_editions", "1")],
        )
        .await;
    assert_eq!(set.status(), 303);
    assert_eq!(
        limited
            .get(&node, &format!("/newsroom/stories/{en}"))
            .await
            .0,
        200
    );
    drop(node);
}

on_both_databases!(
    link_and_unlink_with_every_refusal,
    an_embargo_holds_back_versions_only_when_asked,
    killing_one_version_kills_none_of_the_others,
    staff_limited_to_an_edition_work_only_there,
);
