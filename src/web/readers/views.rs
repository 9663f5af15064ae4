//! What the account templates see: a page with its lead text, problems, forms and links, and each form's fields with their errors tied to them.

use askama::Template;
use std::sync::Arc;

use super::edition::AccountEdition;
use crate::web::views::Chrome;

/// The masthead's account corner and the line confirming what just happened.
pub struct AccountBar {
    /// The signed-in reader's display name.
    pub signed_in: Option<String>,
    pub notice: String,
}

/// One input with its label, hint and error; `describedby` ties the hint and error to it.
pub struct Field {
    pub id: &'static str,
    pub name: &'static str,
    pub label: String,
    /// `email`, `password`, `text` or `checkbox`.
    pub kind: &'static str,
    pub autocomplete: &'static str,
    /// What was typed, shown again; never a password.
    pub value: String,
    pub hint: String,
    pub error: String,
    pub required: bool,
    pub max_length: usize,
}

impl Field {
    fn new(id: &'static str, name: &'static str, label: String, kind: &'static str) -> Field {
        Field {
            id,
            name,
            label,
            kind,
            autocomplete: "off",
            value: String::new(),
            hint: String::new(),
            error: String::new(),
            required: true,
            max_length: 0,
        }
    }

    pub fn email(id: &'static str, label: String, value: &str) -> Field {
        Field {
            autocomplete: "email",
            value: value.chars().take(254).collect(),
            max_length: 254,
            ..Field::new(id, "email", label, "email")
        }
    }

    pub fn display_name(here: &AccountEdition, value: &str) -> Field {
        Field {
            autocomplete: "nickname",
            value: value.chars().take(200).collect(),
            hint: here.t("account-name-hint"),
            max_length: 200,
            ..Field::new(
                "display-name",
                "display_name",
                here.t("account-name-label"),
                "text",
            )
        }
    }

    /// A password field; `new` ones get the policy as a hint and the browser's new-password help.
    pub fn password(
        here: &AccountEdition,
        (id, name): (&'static str, &'static str),
        label: String,
        new: bool,
    ) -> Field {
        Field {
            autocomplete: if new {
                "new-password"
            } else {
                "current-password"
            },
            hint: if new {
                here.t("account-new-password-hint")
            } else {
                String::new()
            },
            ..Field::new(id, name, label, "password")
        }
    }

    pub fn checkbox(id: &'static str, name: &'static str, label: String) -> Field {
        Field::new(id, name, label, "checkbox")
    }

    pub fn with_error(mut self, error: impl Into<String>) -> Field {
        self.error = error.into();
        self
    }

    /// The ids of the hint and the error, for `aria-describedby`.
    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if !self.error.is_empty() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }
}

/// A form posting to `action`.
pub struct FormView {
    /// Prefix of the heading's id.
    pub id: &'static str,
    pub action: String,
    /// An `h2` above the form, when the page has several.
    pub heading: String,
    pub intro: Vec<String>,
    pub hidden: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    pub button: String,
    /// Drawn as a destructive action (deleting the account).
    pub danger: bool,
}

impl FormView {
    pub fn new(id: &'static str, action: String, csrf: &str, button: String) -> FormView {
        FormView {
            id,
            action,
            heading: String::new(),
            intro: Vec::new(),
            hidden: vec![("csrf", csrf.to_string())],
            fields: Vec::new(),
            button,
            danger: false,
        }
    }

    pub fn heading(mut self, heading: String) -> FormView {
        self.heading = heading;
        self
    }

    pub fn intro(mut self, line: impl Into<String>) -> FormView {
        self.intro.push(line.into());
        self
    }

    pub fn hidden(mut self, name: &'static str, value: &str) -> FormView {
        self.hidden.push((name, value.to_string()));
        self
    }

    pub fn field(mut self, field: Field) -> FormView {
        self.fields.push(field);
        self
    }

    pub fn danger(mut self) -> FormView {
        self.danger = true;
        self
    }
}

/// A line of the error summary, linking to its field when it has one.
pub struct Problem {
    pub href: String,
    pub text: String,
}

pub struct Link {
    pub href: String,
    pub label: String,
}

/// Most account pages: a heading, a few lines, forms, then links to the other ways in.
#[derive(Template)]
#[template(path = "account/page.html")]
pub struct Page {
    pub chrome: Arc<Chrome>,
    pub bar: AccountBar,
    pub title: String,
    pub lead: Vec<String>,
    pub problems: Vec<Problem>,
    pub forms: Vec<FormView>,
    pub links: Vec<Link>,
}

impl Page {
    pub fn lead(mut self, line: impl Into<String>) -> Page {
        self.lead.push(line.into());
        self
    }

    /// Adds `form`, listing its fields' errors in the summary at the top.
    pub fn form(mut self, form: FormView) -> Page {
        self.problems.extend(problems_of(&form));
        self.forms.push(form);
        self
    }

    /// A problem with the form as a whole (a refused sign-in, a rate limit).
    pub fn problem(mut self, text: impl Into<String>) -> Page {
        let text = text.into();
        if !text.is_empty() {
            self.problems.insert(
                0,
                Problem {
                    href: String::new(),
                    text,
                },
            );
        }
        self
    }

    pub fn link(mut self, href: impl Into<String>, label: String) -> Page {
        let href = href.into();
        self.links.push(Link { href, label });
        self
    }
}

/// The account settings page: forms, the data download, then closing the account.
#[derive(Template)]
#[template(path = "account/settings.html")]
pub struct SettingsPage {
    pub chrome: Arc<Chrome>,
    pub bar: AccountBar,
    pub title: String,
    pub lead: Vec<String>,
    pub problems: Vec<Problem>,
    pub forms: Vec<FormView>,
    /// Deleting the account and signing out, after the data download.
    pub closing: Vec<FormView>,
    /// The language of the reader's e-mails (`email_language`).
    pub email_language: super::email_language::EmailLanguageView,
}

/// Each field error of `form` as a summary line linking to the field.
pub fn problems_of(form: &FormView) -> Vec<Problem> {
    form.fields
        .iter()
        .filter(|f| !f.error.is_empty())
        .map(|f| Problem {
            href: format!("#{}", f.id),
            text: f.error.clone(),
        })
        .collect()
}
