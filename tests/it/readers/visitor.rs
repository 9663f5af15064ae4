//! A reader's browser for the account tests: keeps the cookies the site sets, fills in forms with the CSRF token of the page they are on, and makes verified accounts directly in the store.

use std::collections::BTreeMap;

use crate::helpers::TestApp;
use crate::staff::{csrf_in, Browser};
use dateline::auth;
use dateline::domain::reader::TokenPurpose;
use dateline::store::NewReader;

/// One answer: status, where it redirects, its headers and body.
pub struct Answer {
    pub status: u16,
    pub location: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

/// A browser with its own cookies.
pub struct Visitor<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Visitor<'a> {
        Visitor {
            app,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Keeps the cookies a response sets, and forgets those it removes.
    fn absorb(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap_or("");
            let first = text.split(';').next().unwrap_or("");
            let Some((name, value)) = first.split_once('=') else {
                continue;
            };
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
    }

    async fn answer(&mut self, response: reqwest::Response) -> Answer {
        self.absorb(&response);
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response.text().await.expect("body");
        Answer {
            status,
            location,
            headers,
            body,
        }
    }

    /// GETs a path on the site (or a whole link from a mail).
    pub async fn get(&mut self, path: &str) -> Answer {
        let path = path.strip_prefix(&self.app.base).unwrap_or(path);
        let response = self
            .app
            .client
            .get(format!("{}{path}", self.app.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("request");
        self.answer(response).await
    }

    /// POSTs exactly these fields.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let response = self
            .app
            .client
            .post(format!("{}{path}", self.app.base))
            .header("cookie", self.cookie_header())
            .form(fields)
            .send()
            .await
            .expect("request");
        self.answer(response).await
    }

    /// Opens `page`, then posts its form to `action` with the page's CSRF token and
    /// any hidden fields the form carries, plus `fields`.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
        let shown = self.get(page).await;
        assert_eq!(shown.status, 200, "GET {page}: {}", shown.body);
        let form = form_with_action(&shown.body, action)
            .unwrap_or_else(|| panic!("no form posting to {action} on {page}"));
        let mut all: Vec<(String, String)> = hidden_fields(&form);
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let borrowed: Vec<(&str, &str)> =
            all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post(action, &borrowed).await
    }

    pub fn signed_in(&self) -> bool {
        self.cookies.contains_key("dateline_reader")
    }
}

/// The HTML of the form on `html` that posts to `action`.
pub fn form_with_action(html: &str, action: &str) -> Option<String> {
    let marker = format!("action=\"{action}\"");
    let at = html.find(&marker)?;
    let start = html[..at].rfind("<form")?;
    let end = html[at..].find("</form>")? + at;
    Some(html[start..end].to_string())
}

/// The hidden inputs of a form: (name, value).
pub fn hidden_fields(form: &str) -> Vec<(String, String)> {
    let document = scraper::Html::parse_fragment(form);
    let selector = scraper::Selector::parse("input[type=hidden]").expect("selector");
    document
        .select(&selector)
        .map(|input| {
            (
                input.value().attr("name").unwrap_or("").to_string(),
                input.value().attr("value").unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The CSRF token of a page (the first form's).
pub fn csrf(html: &str) -> String {
    csrf_in(html).expect("a CSRF token on the page")
}

impl TestApp {
    /// A verified reader made directly in the store, as registering and following the
    /// link would; returns its id.
    pub async fn verified_reader(&self, email: &str, name: &str, password: &str) -> i64 {
        let hash = auth::hash_password(password).expect("hash");
        let secret = auth::random_token();
        let now = self.clock.now();
        self.store
            .register_reader(
                &NewReader {
                    email,
                    display_name: name,
                    password_hash: &hash,
                    edition_id: 1,
                },
                &auth::token_hash(&secret),
                now,
            )
            .await
            .expect("register");
        let redeemed = self
            .store
            .redeem_reader_token(
                &auth::token_hash(&secret),
                TokenPurpose::Verify,
                None,
                None,
                now,
            )
            .await
            .expect("verify")
            .expect("a fresh link works");
        redeemed.reader.id
    }

    /// A verified reader signed in through the sign-in form, as a staff-style
    /// [`Browser`] carrying only the reader's cookie and the account page's token.
    pub async fn reader_browser(&self) -> Browser {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let email = format!("reader{n}@example.net");
        self.verified_reader(&email, "A Reader", READER_PASSWORD)
            .await;
        let mut visitor = Visitor::new(self);
        let answer = visitor.sign_in(&email, READER_PASSWORD).await;
        assert_eq!(answer.status, 303, "{}", answer.body);
        let account = visitor.get("/account").await;
        Browser {
            email,
            cookie: format!("dateline_reader={}", visitor.cookies["dateline_reader"]),
            csrf: csrf(&account.body),
        }
    }
}

/// The password the test readers are given.
pub const READER_PASSWORD: &str = "a reader's long password";

impl Visitor<'_> {
    /// Signs in through the reader's sign-in form.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Answer {
        self.submit(
            "/account/sign-in",
            "/account/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }
}
