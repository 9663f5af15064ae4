//! Sponsor campaigns in the newsroom, over HTTP: only admins and staff an admin
//! granted the commercial power may run them (a plain editor or reporter gets
//! 403); a campaign's form keeps everything typed when it is refused, the
//! picture included; each change is in the audit log; the report counts per
//! campaign and day, as a page and as CSV; the XSS corpus typed into every
//! field is inert on the newsroom's pages and on the article.

use super::live_desk::{assert_inert, field, xss_corpus};
use crate::helpers::{full_story, TestApp};
use crate::on_both_databases;
use crate::staff::Browser;
use dateline::domain::user::Role;
use reqwest::multipart::{Form, Part};
use scraper::{Html, Selector};

on_both_databases!(
    only_the_commercial_power_runs_campaigns,
    refused_forms_keep_everything_typed,
    hostile_campaigns_are_inert,
    the_report_counts_per_campaign_and_day,
);

pub const CAMPAIGNS: &str = "/newsroom/campaigns";

/// A small PNG picture.
pub fn png() -> Vec<u8> {
    let picture = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 32, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 8) as u8, 90])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// A campaign's form fields: the whole site, from a minute ago for a day.
pub fn fields(app: &TestApp, sponsor: &str) -> Vec<(&'static str, String)> {
    let tz = &app.state.site.time_zone;
    let local = |t: i64| {
        dateline::domain::timefmt::from_unix(t)
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let now = app.clock.now();
    vec![
        ("sponsor", sponsor.to_string()),
        ("line", "Saving since 1850".into()),
        ("link", "https://bank.example/offer?from=dateline".into()),
        ("alt", "The bank's lighthouse logo".into()),
        ("starts_at", local(now - 120)),
        ("ends_at", local(now + 86_400)),
        ("placement", "site".into()),
    ]
}

/// Posts a campaign's form (to `path`) with `fields` and maybe a picture.
pub async fn post_campaign(
    app: &TestApp,
    who: &Browser,
    path: &str,
    fields: &[(&'static str, String)],
    picture: Option<Vec<u8>>,
) -> reqwest::Response {
    let mut form = Form::new().text("csrf", who.csrf.clone());
    for (k, v) in fields {
        form = form.text(*k, v.clone());
    }
    if let Some(bytes) = picture {
        form = form.part("file", Part::bytes(bytes).file_name("logo.png"));
    }
    who.post_multipart(app, path, form).await
}

/// Creates a campaign as `who` and returns its id.
pub async fn create(app: &TestApp, who: &Browser, fields: &[(&'static str, String)]) -> i64 {
    let response = post_campaign(app, who, CAMPAIGNS, fields, Some(png())).await;
    assert_eq!(response.status(), 303, "the campaign was refused");
    let notice = response.headers()["location"].to_str().unwrap().to_string();
    let records = app.store.sponsor_campaigns(None).await.unwrap();
    let newest = records
        .iter()
        .map(|r| r.campaign.id)
        .max()
        .expect("a campaign");
    assert!(notice.contains(&format!("Campaign+{newest}")), "{notice}");
    newest
}

async fn only_the_commercial_power_runs_campaigns(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let editor = app.staff(Role::Editor).await;
    let reporter = app.staff(Role::Reporter).await;
    for who in [&editor, &reporter] {
        for path in [
            CAMPAIGNS,
            "/newsroom/campaigns/new",
            "/newsroom/campaigns/report",
            "/newsroom/campaigns/report.csv",
        ] {
            assert_eq!(who.get(&app, path).await.0, 403, "{path}");
        }
        let refused =
            post_campaign(&app, who, CAMPAIGNS, &fields(&app, "Sneaky"), Some(png())).await;
        assert_eq!(refused.status(), 403);
        let (_, desk) = who.get(&app, "/newsroom").await;
        assert!(!desk.contains("href=\"/newsroom/campaigns\""));
    }
    assert!(app.store.sponsor_campaigns(None).await.unwrap().is_empty());
    // Only admins grant the power.
    let editor_id = app
        .store
        .user_by_email(&editor.email)
        .await
        .unwrap()
        .unwrap()
        .id;
    let grant = [("user_id", editor_id.to_string()), ("grant", "yes".into())];
    let grant: Vec<(&str, &str)> = grant.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        editor
            .post(&app, "/newsroom/campaigns/staff", &grant)
            .await
            .status(),
        403
    );
    assert_eq!(
        admin
            .post(&app, "/newsroom/campaigns/staff", &grant)
            .await
            .status(),
        303
    );
    let (status, page) = editor.get(&app, CAMPAIGNS).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("href=\"/newsroom/campaigns\""),
        "the menu shows it"
    );
    let id = create(&app, &editor, &fields(&app, "Harbour Bank")).await;
    let audit = app.store.audit_entries(None, 5).await.unwrap();
    assert_eq!(
        (
            audit[0].action.as_str(),
            audit[0].subject.clone(),
            audit[0].actor.clone()
        ),
        (
            "sponsor campaign created",
            format!("campaign {id}"),
            editor.email.clone()
        )
    );
    assert!(audit.iter().any(|a| a.action == "commercial power granted"));
    // Withdrawn, the power is gone at once.
    let withdraw = [("user_id", editor_id.to_string()), ("grant", "no".into())];
    let withdraw: Vec<(&str, &str)> = withdraw.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        admin
            .post(&app, "/newsroom/campaigns/staff", &withdraw)
            .await
            .status(),
        303
    );
    assert_eq!(editor.get(&app, CAMPAIGNS).await.0, 403);
    let end = format!("/newsroom/campaigns/{id}/end");
    assert_eq!(editor.post(&app, &end, &[]).await.status(), 403);
    assert_eq!(admin.post(&app, &end, &[]).await.status(), 303);
    assert_eq!(
        app.store.audit_entries(None, 1).await.unwrap()[0].action,
        "sponsor campaign ended"
    );
}

async fn refused_forms_keep_everything_typed(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let mut typed = fields(&app, "Harbour Bank");
    typed.retain(|(k, _)| *k != "link" && *k != "ends_at");
    typed.push(("link", "javascript:alert(1)".into()));
    typed.push(("ends_at", "2000-01-01T00:00".into()));
    typed.push(("in_print", "yes".into()));
    let refused = post_campaign(&app, &admin, CAMPAIGNS, &typed, Some(png())).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("https:// or http://"), "the link's message");
    assert!(page.contains("must end after it starts"));
    assert_eq!(field(&page, "sponsor"), "Harbour Bank");
    assert_eq!(field(&page, "link"), "javascript:alert(1)");
    assert_eq!(field(&page, "alt"), "The bank's lighthouse logo");
    assert!(page.contains("id=\"in_print\" name=\"in_print\" value=\"yes\" checked"));
    // The picture uploaded with the refused form is kept: no need to choose it again.
    let doc = Html::parse_document(&page);
    let kept = |name: &str| {
        doc.select(&Selector::parse(&format!("input[name={name}]")).unwrap())
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_default()
            .to_string()
    };
    let (image_id, check) = (kept("image_id"), kept("image_check"));
    assert!(!image_id.is_empty() && !check.is_empty());
    assert!(app.store.sponsor_campaigns(None).await.unwrap().is_empty());

    // A kept picture without its proof is not taken on trust.
    let mut forged = fields(&app, "Harbour Bank");
    forged.push(("image_id", image_id.clone()));
    forged.push(("image_check", "0".repeat(64)));
    let refused = post_campaign(&app, &admin, CAMPAIGNS, &forged, None).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Choose the sponsor&#39;s picture"));

    let mut fixed = fields(&app, "Harbour Bank");
    fixed.push(("image_id", image_id.clone()));
    fixed.push(("image_check", check));
    let saved = post_campaign(&app, &admin, CAMPAIGNS, &fixed, None).await;
    assert_eq!(saved.status(), 303);
    let record = &app.store.sponsor_campaigns(None).await.unwrap()[0];
    assert_eq!(record.campaign.image_id.to_string(), image_id);

    // Other refusals, each by its field.
    let mut bad = fields(&app, " ");
    bad.retain(|(k, _)| *k != "placement");
    bad.push(("placement", "stories".into()));
    bad.push(("stories", "12, twelve".into()));
    let refused = post_campaign(
        &app,
        &admin,
        CAMPAIGNS,
        &bad,
        Some(b"not a picture".to_vec()),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Write the sponsor&#39;s name."));
    assert!(page.contains("is not a story number"));
    assert!(page.contains("The picture cannot be used"));
    assert_eq!(field(&page, "stories"), "12, twelve");
}

async fn hostile_campaigns_are_inert(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let story = app
        .publish(
            &full_story(app.section_id("europe"), None, "Harbour reopens"),
            app.clock.now() - 600,
        )
        .await;
    let path = format!("/news/europe/harbour-reopens-{story}");
    for payload in xss_corpus().iter().take(40) {
        let text: String = payload.chars().take(80).collect();
        let mut typed = fields(&app, &text);
        for (k, v) in typed.iter_mut() {
            if matches!(*k, "line" | "alt") {
                *v = text.clone();
            }
        }
        let response = post_campaign(&app, &admin, CAMPAIGNS, &typed, Some(png())).await;
        let status = response.status();
        let page = response.text().await.unwrap();
        assert_inert(&page, &format!("form for {payload:?}"));
        if status == 303 {
            let (_, list) = admin.get(&app, CAMPAIGNS).await;
            assert_inert(&list, &format!("list for {payload:?}"));
        }
        // Only one campaign runs at a time here, so the article shows this one.
        for record in app.store.sponsor_campaigns(None).await.unwrap() {
            if record.campaign.ends_at > app.clock.now() {
                admin
                    .post(
                        &app,
                        &format!("/newsroom/campaigns/{}/end", record.campaign.id),
                        &[],
                    )
                    .await;
            }
        }
    }
    // A campaign of hostile text as the public sees it.
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let mut typed = fields(&app, "\"><svg onload=alert(3)>");
    for (k, v) in typed.iter_mut() {
        if matches!(*k, "line" | "alt") {
            *v = hostile.into();
        }
    }
    let id = create(&app, &admin, &typed).await;
    let (status, html) = app.page(&path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("/sponsor/{id}/go")),
        "the campaign shows"
    );
    crate::public::sponsor::assert_public_inert(&html);
}

async fn the_report_counts_per_campaign_and_day(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let first = create(&app, &admin, &fields(&app, "Harbour, Bank")).await;
    let second = create(&app, &admin, &fields(&app, "=Formula Ltd")).await;
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/sponsor/{first}/go")).await.status(), 303);
    }
    assert_eq!(
        app.get(&format!("/sponsor/{second}/picture"))
            .await
            .status(),
        200
    );
    let (status, page) = admin.get(&app, "/newsroom/campaigns/report").await;
    assert_eq!(status, 200);
    assert!(page.contains("Harbour, Bank") && page.contains("=Formula Ltd"));
    let csv = admin
        .get_response(&app, "/newsroom/campaigns/report.csv")
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let day = dateline::web::sponsor_book::count_day(&app.state, app.clock.now());
    assert!(text.starts_with("day,campaign,sponsor,impressions,clicks\r\n"));
    assert!(
        text.contains(&format!("{day},{first},\"Harbour, Bank\",0,3\r\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{day},{second},'=Formula Ltd,1,0\r\n")),
        "{text}"
    );
}
