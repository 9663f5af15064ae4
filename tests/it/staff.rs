//! Signed-in staff for newsroom tests: a cookie, the page's CSRF token, and form helpers.

use crate::helpers::TestApp;
use dateline::domain::user::Role;
use reqwest::multipart::{Form, Part};

/// A member of staff's browser: their session cookie and CSRF token.
pub struct Browser {
    pub email: String,
    pub cookie: String,
    pub csrf: String,
}

pub const PASSWORD: &str = "a long enough password";

/// Reads the value of the first `name="csrf"` hidden input on a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

/// The value of a cookie set by a response.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .split_once('=')
                .map(|x| x.1)
                .unwrap_or("")
                .to_string()
        })
}

impl TestApp {
    /// Creates an account with `role` and signs it in.
    pub async fn staff(&self, role: Role) -> Browser {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let email = format!("{}{}@example.org", role.as_str(), n);
        dateline::staff::create(
            &self.store,
            &email,
            &format!("{} {n}", role.as_str()),
            role,
            PASSWORD,
            "test",
            self.clock.now(),
        )
        .await
        .expect("create staff");
        self.sign_in(&email, PASSWORD).await.expect("sign in")
    }

    /// Signs in through the form; `None` if the sign-in was refused.
    pub async fn sign_in(&self, email: &str, password: &str) -> Option<Browser> {
        let form = self.get("/newsroom/sign-in").await;
        let form_cookie = set_cookie(&form, "dateline_sign_in").expect("sign-in cookie");
        let token = csrf_in(&form.text().await.unwrap()).expect("sign-in token");
        let response = self
            .client
            .post(format!("{}/newsroom/sign-in", self.base))
            .header("cookie", format!("dateline_sign_in={form_cookie}"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", email),
                ("password", password),
                ("next", "/newsroom"),
            ])
            .send()
            .await
            .unwrap();
        if response.status() != 303 {
            return None;
        }
        let session = set_cookie(&response, "dateline_session")?;
        let mut browser = Browser {
            email: email.to_string(),
            cookie: format!("dateline_session={session}"),
            csrf: String::new(),
        };
        let (_, page) = browser.get(self, "/newsroom").await;
        browser.csrf = csrf_in(&page).expect("csrf on the newsroom page");
        Some(browser)
    }
}

impl Browser {
    pub async fn get(&self, app: &TestApp, path: &str) -> (u16, String) {
        let response = self.get_response(app, path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn get_response(&self, app: &TestApp, path: &str) -> reqwest::Response {
        app.client
            .get(format!("{}{path}", app.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    /// POSTs an urlencoded form, adding this browser's CSRF token.
    pub async fn post(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(app, path, &all).await
    }

    /// POSTs exactly these fields (no token added).
    pub async fn post_raw(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        app.client
            .post(format!("{}{path}", app.base))
            .header("cookie", &self.cookie)
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// POSTs the story editor's multipart form with the token, these fields, and maybe a picture.
    pub async fn post_story(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
        picture: Option<(&str, Vec<u8>)>,
    ) -> reqwest::Response {
        let mut form = Form::new().text("csrf", self.csrf.clone());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((name, bytes)) = picture {
            form = form.part("image", Part::bytes(bytes).file_name(name.to_string()));
        }
        self.post_multipart(app, path, form).await
    }

    pub async fn post_multipart(&self, app: &TestApp, path: &str, form: Form) -> reqwest::Response {
        app.client
            .post(format!("{}{path}", app.base))
            .header("cookie", &self.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// Editor fields for a valid story in `section_id`.
pub fn story_fields(
    section_id: i64,
    headline: &'static str,
    action: &'static str,
) -> Vec<(&'static str, String)> {
    vec![
        ("headline", headline.to_string()),
        ("summary", format!("What happened in {headline}.")),
        ("section", section_id.to_string()),
        ("byline", "By A Reporter".to_string()),
        (
            "body",
            "The intro.\n\n## A crosshead\n\nMore text here.".to_string(),
        ),
        ("action", action.to_string()),
    ]
}

/// Borrows owned field values for `post_story`.
pub fn borrow<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The story id a "see other" response points at (`/newsroom/stories/<id>?notice=…`).
pub fn story_id_from(response: &reqwest::Response) -> i64 {
    let location = response.headers()["location"].to_str().unwrap();
    location
        .trim_start_matches("/newsroom/stories/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no story id in {location}"))
}
