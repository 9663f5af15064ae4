//! Reader accounts, every flow over HTTP on both databases, with the links taken from the mail the site sent: register, verify, sign in and out by password, sign in by a link (once, and not after it expires), reset the password, change the address, export the data, delete the account (and nothing of it is left in any table).

use crate::helpers::TestApp;
use crate::on_both_databases_with_mail;
use crate::readers::mail::Mailbox;
use crate::readers::visitor::{Visitor, READER_PASSWORD};

/// Follows a mailed link as a reader would: opens it, then presses its one button.
async fn follow(visitor: &mut Visitor<'_>, link: &str) -> crate::readers::visitor::Answer {
    let path = link
        .strip_prefix(&visitor.app.base)
        .expect("a link to this site");
    let action = path.split('?').next().unwrap().to_string();
    visitor.submit(path, &action, &[]).await
}

async fn every_flow(app: TestApp, mailbox: Mailbox) {
    let email = "grace@example.net";
    let mut visitor = Visitor::new(&app);

    // Register: the answer asks to check the mail, and nobody is signed in yet.
    let answer = visitor
        .submit(
            "/account/register",
            "/account/register",
            &[
                ("email", "Grace@Example.NET"),
                ("display_name", "Grace  Hopper"),
                ("password", READER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.contains("Check your e-mail"));
    assert!(!visitor.signed_in());
    // Not verified: the password does not sign in yet.
    assert_eq!(visitor.sign_in(email, READER_PASSWORD).await.status, 401);

    // Verify by the mailed link: opening it changes nothing; its button verifies and signs in.
    let verify = mailbox.link_to(email, "/account/verify").await;
    let opened = visitor.get(&verify).await;
    assert_eq!(opened.status, 200);
    let reader = app
        .store
        .reader_by_email(email)
        .await
        .unwrap()
        .expect("registered");
    assert_eq!(reader.verified_at, None, "opening a link does not use it");
    let verified = follow(&mut visitor, &verify).await;
    assert_eq!(
        (verified.status, verified.location.as_str()),
        (303, "/account?done=verified")
    );
    assert!(visitor.signed_in());
    let account = visitor.get("/account?done=verified").await;
    assert!(
        account.body.contains("Your e-mail address is verified"),
        "{}",
        account.body
    );
    assert!(account.body.contains("Signed in as Grace Hopper"));
    // The link worked once.
    assert_eq!(visitor.get(&verify).await.status, 410);

    // Sign out, then in by password.
    let out = visitor.submit("/account", "/account/sign-out", &[]).await;
    assert_eq!(
        (out.status, out.location.as_str()),
        (303, "/account/sign-in?done=signed-out")
    );
    assert!(!visitor.signed_in());
    assert_eq!(visitor.get("/account").await.status, 303);
    let signed_in = visitor.sign_in(email, READER_PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(visitor.get("/account").await.status, 200);

    // Sign in by a mailed link, in another browser: it works once.
    let mut phone = Visitor::new(&app);
    phone
        .submit(
            "/account/sign-in-link",
            "/account/sign-in-link",
            &[("email", email)],
        )
        .await;
    let link = mailbox.link_to(email, "/account/sign-in-link/use").await;
    let used = follow(&mut phone, &link).await;
    assert_eq!(
        (used.status, used.location.as_str()),
        (303, "/account?done=signed-in")
    );
    assert_eq!(phone.get("/account").await.status, 200);
    let mut thief = Visitor::new(&app);
    assert_eq!(thief.get(&link).await.status, 410, "a used link");
    // …and not after it expires (15 minutes).
    app.advance_minute();
    thief
        .submit(
            "/account/sign-in-link",
            "/account/sign-in-link",
            &[("email", email)],
        )
        .await;
    let late = mailbox.link_to(email, "/account/sign-in-link/use").await;
    assert_ne!(late, link);
    app.clock.advance(16 * 60);
    assert_eq!(thief.get(&late).await.status, 410, "an expired link");
    assert!(!thief.signed_in());

    // Reset the password from a third browser: the old password stops working, and
    // every session (the first browser's, the phone's) ends.
    let mut laptop = Visitor::new(&app);
    laptop
        .submit("/account/reset", "/account/reset", &[("email", email)])
        .await;
    let reset = mailbox.link_to(email, "/account/reset/new").await;
    let path = reset.strip_prefix(&app.base).unwrap();
    let short = laptop
        .submit(
            path,
            "/account/reset/new",
            &[("password", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(
        short.status, 422,
        "a refused password does not use the link"
    );
    let new_password = "a new and better password";
    let done = laptop
        .submit(
            path,
            "/account/reset/new",
            &[("password", new_password), ("confirm", new_password)],
        )
        .await;
    assert_eq!(
        (done.status, done.location.as_str()),
        (303, "/account?done=reset")
    );
    assert_eq!(laptop.get("/account").await.status, 200);
    for other in [&mut visitor, &mut phone] {
        assert_eq!(
            other.get("/account").await.status,
            303,
            "other sessions end at a reset"
        );
    }
    assert_eq!(laptop.get(&reset).await.status, 410);
    let mut fresh = Visitor::new(&app);
    app.advance_minute();
    assert_eq!(
        fresh.sign_in(email, READER_PASSWORD).await.status,
        401,
        "the old password"
    );
    assert_eq!(
        fresh.sign_in(email, new_password).await.status,
        303,
        "the new password"
    );

    // Change the address: nothing changes until the new address's link is followed;
    // then the new address is the account's (verified again) and the old one is told.
    let new_email = "grace.hopper@example.org";
    let asked = fresh
        .submit(
            "/account",
            "/account/email",
            &[("email", new_email), ("password", new_password)],
        )
        .await;
    assert_eq!(
        (asked.status, asked.location.as_str()),
        (303, "/account?done=email-sent")
    );
    let before = app
        .store
        .reader_by_email(email)
        .await
        .unwrap()
        .expect("still the old address");
    let confirm = mailbox.link_to(new_email, "/account/email/confirm").await;
    app.clock.advance(5);
    let changed = follow(&mut fresh, &confirm).await;
    assert_eq!(
        (changed.status, changed.location.as_str()),
        (303, "/account?done=email-changed")
    );
    let after = app.store.reader(before.id).await.unwrap().unwrap();
    assert_eq!(after.email, new_email);
    assert!(after.verified_at > before.verified_at, "verified again");
    assert!(app.store.reader_by_email(email).await.unwrap().is_none());
    let told = mailbox.body_to(email, "no longer signs in").await;
    assert!(told.contains(new_email), "{told}");
    app.advance_minute();
    assert_eq!(
        Visitor::new(&app)
            .sign_in(new_email, new_password)
            .await
            .status,
        303
    );

    // Export: the reader's data, and no secret.
    let data = fresh.get("/account/data.json").await;
    assert_eq!(data.status, 200);
    assert_eq!(data.header("cache-control"), "private, no-store");
    assert!(data.header("content-disposition").starts_with("attachment"));
    let json: serde_json::Value = serde_json::from_str(&data.body).expect("JSON");
    assert_eq!(json["account"]["email"], new_email);
    assert_eq!(json["account"]["display_name"], "Grace Hopper");
    assert!(json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["this_session"] == true));
    let purposes: Vec<&str> = json["emailed_links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["purpose"].as_str())
        .collect();
    for purpose in ["verify", "sign_in", "reset", "change_email"] {
        assert!(purposes.contains(&purpose), "{purpose} in {purposes:?}");
    }
    assert!(
        !data.body.contains("argon2") && !data.body.contains("hash"),
        "{}",
        data.body
    );

    // Delete: the password and the box are both needed; then nothing of the reader is left.
    let refused = fresh
        .submit("/account", "/account/delete", &[("password", new_password)])
        .await;
    assert_eq!(refused.status, 422);
    let deleted = fresh
        .submit(
            "/account",
            "/account/delete",
            &[("password", new_password), ("confirm", "yes")],
        )
        .await;
    assert_eq!(
        (deleted.status, deleted.location.as_str()),
        (303, "/account/sign-in?done=deleted")
    );
    assert!(!fresh.signed_in());
    for table in ["readers", "reader_sessions", "reader_tokens"] {
        assert_eq!(
            app.count_rows(table).await,
            0,
            "{table} after deleting the only reader"
        );
    }
    assert_eq!(
        Visitor::new(&app)
            .sign_in(new_email, new_password)
            .await
            .status,
        401
    );
}

/// Changing name and password from the account page; mistakes keep what was typed.
async fn the_account_page(app: TestApp, mailbox: Mailbox) {
    app.verified_reader("ada@example.net", "Ada", READER_PASSWORD)
        .await;
    let mut visitor = Visitor::new(&app);
    let mut elsewhere = Visitor::new(&app);
    visitor.sign_in("ada@example.net", READER_PASSWORD).await;
    elsewhere.sign_in("ada@example.net", READER_PASSWORD).await;

    let blank = visitor
        .submit(
            "/account",
            "/account/name",
            &[("display_name", "  \u{202e} ")],
        )
        .await;
    assert_eq!(blank.status, 422);
    assert!(blank
        .body
        .contains("aria-describedby=\"display-name-hint display-name-error\""));
    let renamed = visitor
        .submit(
            "/account",
            "/account/name",
            &[("display_name", "Ada <b>King</b>")],
        )
        .await;
    assert_eq!(renamed.location, "/account?done=name");
    let page = visitor.get("/account").await;
    assert!(
        page.body.contains("Ada &#60;b&#62;King&#60;/b&#62;"),
        "{}",
        page.body
    );

    let wrong = visitor
        .submit(
            "/account",
            "/account/password",
            &[
                ("current", "not it at all"),
                ("new", "another long password"),
                ("confirm", "another long password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("That is not your current password."));
    assert!(
        !wrong.body.contains("another long password"),
        "passwords are never shown again"
    );
    let changed = visitor
        .submit(
            "/account",
            "/account/password",
            &[
                ("current", READER_PASSWORD),
                ("new", "another long password"),
                ("confirm", "another long password"),
            ],
        )
        .await;
    assert_eq!(changed.location, "/account?done=password");
    assert_eq!(
        visitor.get("/account").await.status,
        200,
        "this session carries on"
    );
    assert_eq!(
        elsewhere.get("/account").await.status,
        303,
        "the other one ends"
    );

    let same = visitor
        .submit(
            "/account",
            "/account/email",
            &[
                ("email", "ADA@example.net"),
                ("password", "another long password"),
            ],
        )
        .await;
    assert_eq!(same.status, 422);
    assert!(same.body.contains("That is already your address."));

    // An address another account has: asking says nothing of it; its owner, following
    // the link, is told it cannot be used, and neither account changes.
    app.verified_reader("bea@example.net", "Bea", READER_PASSWORD)
        .await;
    let asked = visitor
        .submit(
            "/account",
            "/account/email",
            &[
                ("email", "bea@example.net"),
                ("password", "another long password"),
            ],
        )
        .await;
    assert_eq!(asked.location, "/account?done=email-sent");
    let link = mailbox
        .link_to("bea@example.net", "/account/email/confirm")
        .await;
    let mut bea = Visitor::new(&app);
    let refused = follow(&mut bea, &link).await;
    assert_eq!(refused.status, 409);
    assert!(refused
        .body
        .contains("Another account uses this e-mail address"));
    assert!(app
        .store
        .reader_by_email("ada@example.net")
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        app.store
            .reader_by_email("bea@example.net")
            .await
            .unwrap()
            .unwrap()
            .display_name,
        "Bea"
    );
}

impl TestApp {
    /// Rows in `table` (a fixed name from the test, never input).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        match &self.store {
            dateline::store::Store::Sqlite(pool, _) => {
                sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap()
            }
            dateline::store::Store::Postgres(pool) => {
                sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap()
            }
        }
    }
}

/// Registering an address that has a verified account changes nothing of it; its
/// owner is mailed a note with a sign-in link, which works.
async fn registering_a_taken_address_tells_its_owner(app: TestApp, mailbox: Mailbox) {
    let email = "taken@example.net";
    let id = app
        .verified_reader(email, "The Owner", READER_PASSWORD)
        .await;
    let mut stranger = Visitor::new(&app);
    let answer = stranger
        .submit(
            "/account/register",
            "/account/register",
            &[
                ("email", email),
                ("display_name", "Impostor"),
                ("password", "the impostor's password"),
            ],
        )
        .await;
    assert!(answer.body.contains("Check your e-mail"));
    let note = mailbox.body_to(email, "already has one").await;
    assert!(
        !note.contains("/account/verify"),
        "no verification link: {note}"
    );
    let reader = app.store.reader(id).await.unwrap().unwrap();
    assert_eq!(reader.display_name, "The Owner");
    assert_eq!(
        stranger
            .sign_in(email, "the impostor's password")
            .await
            .status,
        401
    );
    // The owner's sign-in link works for the owner.
    let link = mailbox.link_to(email, "/account/sign-in-link/use").await;
    let mut owner = Visitor::new(&app);
    assert_eq!(follow(&mut owner, &link).await.status, 303);
    assert!(owner.get("/account").await.body.contains("The Owner"));
    if mailbox.by_smtp() {
        // Everything went through the SMTP server: the owner received exactly these.
        assert_eq!(mailbox.all_to(email).await.len(), 1);
    }
}

on_both_databases_with_mail!(
    every_flow,
    the_account_page,
    registering_a_taken_address_tells_its_owner
);
