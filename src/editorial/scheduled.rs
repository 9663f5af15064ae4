//! What comes due by the clock: scheduled publications and ending embargoes.
//! Each is claimed inside the transaction that makes the story public, with its
//! audit and log rows, so exactly one node does it however many try.

use super::{Actor, Editorial, EditorialError};
use crate::store::{AuditNote, Publication, StoryChange, Target};

/// Publishes every story scheduled at or before `now` whose embargo has passed;
/// returns the ids this call published (another node may have taken others).
pub async fn publish_due(editorial: &Editorial<'_>, now: i64) -> Result<Vec<i64>, EditorialError> {
    let due = editorial.store.due_stories(now).await?;
    claim_each(
        editorial,
        due,
        now,
        "publish",
        "scheduled publication",
        |change| {
            change.publish = Some(Publication {
                significant: true,
                due_by: Some(now),
                own_times: None,
            })
        },
    )
    .await
}

/// Ends every embargo that has passed on a published story, so that the fronts,
/// feeds and lists that left the story out show it now; returns the ids.
pub async fn end_due_embargoes(
    editorial: &Editorial<'_>,
    now: i64,
) -> Result<Vec<i64>, EditorialError> {
    let due = editorial.store.embargoes_due(now).await?;
    claim_each(
        editorial,
        due,
        now,
        "embargo_end",
        "the embargo ended",
        |change| change.end_embargo = true,
    )
    .await
}

/// Commits `claim` on each story in `ids` as the scheduler; returns those it
/// changed (a claim another node took first changes nothing).
async fn claim_each(
    editorial: &Editorial<'_>,
    ids: Vec<i64>,
    now: i64,
    action: &'static str,
    detail: &str,
    claim: impl Fn(&mut StoryChange<'_>),
) -> Result<Vec<i64>, EditorialError> {
    let mut changed = Vec::new();
    for id in ids {
        let target = Target::Existing {
            id,
            expected_revision: None,
        };
        let mut change = StoryChange::new(target, Actor::SCHEDULER.name, now);
        claim(&mut change);
        change.audit.push(AuditNote {
            action,
            detail: detail.to_string(),
        });
        if editorial.commit(change).await?.done {
            changed.push(id);
        }
    }
    Ok(changed)
}
