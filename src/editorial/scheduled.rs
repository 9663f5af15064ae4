//! What comes due by the clock: scheduled publications and ending embargoes.
//! Each is claimed inside the transaction that makes the story public, with its
//! audit and log rows, so exactly one node does it however many try.

use super::{Actor, Editorial, EditorialError};
use crate::store::{AuditNote, Publication, StoryChange, Target};

/// Publishes every story scheduled at or before `now` whose embargo has passed;
/// returns the ids this call published (another node may have taken others).
pub async fn publish_due(editorial: &Editorial<'_>, now: i64) -> Result<Vec<i64>, EditorialError> {
    let mut published = Vec::new();
    for id in editorial.store.due_stories(now).await? {
        let mut change = StoryChange::new(
            Target::Existing {
                id,
                expected_revision: None,
            },
            Actor::SCHEDULER.name,
            now,
        );
        change.publish = Some(Publication {
            significant: true,
            due_by: Some(now),
        });
        change.audit.push(AuditNote {
            action: "publish",
            detail: "scheduled publication".into(),
        });
        if editorial.commit(&change).await?.done {
            published.push(id);
        }
    }
    Ok(published)
}

/// Ends every embargo that has passed on a published story, so that the fronts,
/// feeds and lists that left the story out show it now; returns the ids.
pub async fn end_due_embargoes(
    editorial: &Editorial<'_>,
    now: i64,
) -> Result<Vec<i64>, EditorialError> {
    let mut ended = Vec::new();
    for id in editorial.store.embargoes_due(now).await? {
        let mut change = StoryChange::new(
            Target::Existing {
                id,
                expected_revision: None,
            },
            Actor::SCHEDULER.name,
            now,
        );
        change.end_embargo = true;
        change.audit.push(AuditNote {
            action: "embargo_end",
            detail: "the embargo ended".into(),
        });
        if editorial.commit(&change).await?.done {
            ended.push(id);
        }
    }
    Ok(ended)
}
