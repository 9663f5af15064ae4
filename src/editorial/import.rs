//! A legacy page imported as a published story (`dateline import`): its text,
//! its publication at the page's own times, its import record, audit row and
//! log rows in one transaction, like every other action on a story.

use super::{Editorial, EditorialError};
use crate::domain::story::StoryContent;
use crate::store::{AuditNote, ImportRecord, OwnTimes, Publication, StoryChange, Target};

/// Who imported stories' revisions and audit rows name.
const IMPORTER: &str = "import";

/// One page to import.
pub struct ImportedPage<'a> {
    pub content: &'a StoryContent,
    /// The story an earlier import of the page made, which this one updates.
    pub story_id: Option<i64>,
    /// When the page says it was first published and last updated.
    pub times: OwnTimes,
    pub record: &'a ImportRecord,
}

impl Editorial<'_> {
    /// Writes `page` as a new published story, or as a new published revision of
    /// the story an earlier import made; returns the story's id. The pictures the
    /// story showed before are checked, so that a public copy of one the page no
    /// longer shows is taken down.
    pub async fn import_page(&self, page: ImportedPage<'_>) -> Result<i64, EditorialError> {
        // A new story's revision is dated when the page was first published.
        let (target, action, at) = match page.story_id {
            None => (
                Target::New { owner_id: None },
                "create",
                page.times.first_published,
            ),
            Some(id) => (
                Target::Existing {
                    id,
                    expected_revision: None,
                },
                "update",
                page.times.last_updated,
            ),
        };
        let mut change = StoryChange::new(target, IMPORTER, at);
        change.text = Some((page.content, action));
        change.publish = Some(Publication {
            significant: true,
            due_by: None,
            own_times: Some(page.times),
        });
        change.import = Some(page.record);
        change.audit.push(AuditNote {
            action: "import",
            detail: format!("from {}", page.record.source),
        });
        Ok(self.commit(change).await?.story_id)
    }
}
