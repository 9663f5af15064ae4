//! `/account/email-language`: the language of the reader's e-mails, one of the editions, chosen on the account page (its own small form, `templates/account/_email_language.html`).

use axum::extract::State;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::edition::AccountEdition;
use super::see_other;
use super::views::{Problem, SettingsPage};
use crate::domain::edition::Editions;
use crate::web::reader_session::SignedInReader;
use crate::web::{AppState, WebError};

/// The `?done=` of the account page after a language is saved.
const SAVED: &str = "email-language";

/// The field's id, which the problem summary links to.
const FIELD_ID: &str = "email-language-choice";

/// One edition in the list, named in its own language.
pub struct LanguageOption {
    /// The edition's key, what the form posts.
    pub key: String,
    pub name: String,
    pub language: String,
    pub direction: &'static str,
    pub selected: bool,
}

/// The form as the account page shows it.
#[derive(Default)]
pub struct EmailLanguageView {
    pub csrf: String,
    pub options: Vec<LanguageOption>,
    /// The posted choice named no edition.
    pub refused: bool,
    /// Just saved: the chosen language's name, for the confirmation.
    pub saved: Option<String>,
}

impl SettingsPage {
    /// Adds the e-mail language form: every edition, the reader's selected; with
    /// `refused`, the field's problem (in the page's language) at the top too.
    pub fn with_email_language(
        mut self,
        editions: &Editions,
        reader: &SignedInReader,
        done: Option<&str>,
        refused: bool,
    ) -> SettingsPage {
        let current = reader.reader.edition_id;
        let options: Vec<LanguageOption> = editions
            .all()
            .iter()
            .map(|e| LanguageOption {
                key: e.key.clone(),
                name: e.name.clone(),
                language: e.language.clone(),
                direction: e.direction.as_str(),
                selected: e.id == current,
            })
            .collect();
        let saved = (done == Some(SAVED) && !refused)
            .then(|| options.iter().find(|o| o.selected).map(|o| o.name.clone()))
            .flatten();
        if refused {
            self.problems.push(Problem {
                href: format!("#{FIELD_ID}"),
                text: self.chrome.t("mail-language-unknown"),
            });
        }
        self.email_language = EmailLanguageView {
            csrf: reader.csrf.clone(),
            options,
            refused,
            saved,
        };
        self
    }
}

#[derive(Deserialize)]
pub struct EmailLanguageForm {
    #[serde(default)]
    csrf: String,
    /// An edition's key.
    #[serde(default)]
    edition: String,
}

/// Sets the edition whose language the reader's e-mails are in. An edition that
/// does not exist changes nothing and shows the form again with its problem.
pub async fn save(
    State(state): State<AppState>,
    here: AccountEdition,
    reader: SignedInReader,
    Form(form): Form<EmailLanguageForm>,
) -> Result<Response, WebError> {
    reader.check_csrf(&form.csrf)?;
    let Some(chosen) = state.editions.by_key(form.edition.trim()) else {
        return super::settings::refused_email_language(&here, &reader);
    };
    if chosen.id != reader.reader.edition_id {
        state
            .store
            .set_reader_edition(reader.reader.id, chosen.id)
            .await?;
    }
    Ok(see_other(&here.path(""), SAVED, &[]))
}
