//! Loading a synthetic archive of many stories on top of the demo newsroom
//! (`dateline demo --stories N`). Stories are generated on their own thread by
//! [`synthetic`](super::synthetic) while the database inserts the previous batch.

use anyhow::{bail, Result};
use tokio::sync::mpsc;

use super::synthetic::{self, Plan, SyntheticStory};
use crate::domain::story::Status;
use crate::store::{BulkCorrection, BulkRevision, BulkStory, Store};

/// Stories per transaction.
const BATCH: u64 = 2000;

#[derive(Debug, Clone)]
pub struct ArchiveOptions {
    pub stories: u64,
    pub seed: u64,
    /// The newest publication time (Unix seconds); stories reach twenty years back from it.
    pub end: i64,
    /// Delete every story first.
    pub reset: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ArchiveReport {
    /// Demo stories loaded first (0 when the database already had stories).
    pub demo_stories: usize,
    pub first_id: i64,
    pub inserted: u64,
    /// Of those, killed stories (the rest are published).
    pub killed: u64,
}

/// Adds `options.stories` synthetic stories, calling `progress` with the number
/// inserted so far after each batch. Refuses when synthetic stories already exist
/// unless `reset`; loads the demo first into an empty database.
pub async fn load(
    store: &Store,
    pictures: &crate::media::Pictures,
    options: &ArchiveOptions,
    progress: impl Fn(u64),
) -> Result<ArchiveReport> {
    if options.reset {
        crate::media::reset::delete_all_content(store, pictures, options.end).await?;
    } else if store.has_revisions_by(synthetic::AUTHOR).await? {
        bail!("the database already has a synthetic archive; add --reset to delete every story and generate it again");
    }
    let mut report = ArchiveReport::default();
    if store.story_count().await? == 0 {
        report.demo_stories = super::load(store, pictures).await?;
    }
    let plan = Plan {
        seed: options.seed,
        count: options.stories,
        end: options.end,
        first_id: store.max_story_id().await? + 1,
        // The archive is written in English: the English edition's sections only.
        sections: store
            .sections()
            .await?
            .into_iter()
            .filter(|s| s.edition_id == crate::domain::edition::ROOT_EDITION)
            .map(|s| (s.id, s.slug))
            .collect(),
        image_ids: store.image_ids().await?,
    };
    if plan.sections.is_empty() {
        bail!("the database has no sections");
    }
    report.first_id = plan.first_id;

    // Two batches in flight: one being inserted, one being generated.
    let (sender, mut batches) = mpsc::channel::<Vec<BulkStory>>(1);
    let generator = std::thread::spawn(move || {
        let mut index = 0;
        while index < plan.count {
            let upto = (index + BATCH).min(plan.count);
            let batch = (index..upto).map(|i| bulk_story(plan.story(i))).collect();
            if sender.blocking_send(batch).is_err() {
                return; // The inserter stopped on an error; it reports it.
            }
            index = upto;
        }
    });
    while let Some(batch) = batches.recv().await {
        store.bulk_insert(&batch).await?;
        report.inserted += batch.len() as u64;
        report.killed += batch.iter().filter(|s| s.status == Status::Killed).count() as u64;
        progress(report.inserted);
    }
    if generator.join().is_err() {
        bail!("the story generator failed");
    }
    store.finish_bulk_insert().await?;
    Ok(report)
}

/// The rows for one generated story.
fn bulk_story(story: SyntheticStory) -> BulkStory {
    let live_revision = story.live as i64 + 1;
    let live = story.versions[story.live].content.clone();
    BulkStory {
        id: story.id,
        status: if story.killed {
            Status::Killed
        } else {
            Status::Published
        },
        live,
        live_revision,
        created_at: story.created_at,
        modified_at: story.modified_at,
        first_published_at: story.first_published_at,
        last_updated_at: story.last_updated_at,
        revisions: story
            .versions
            .into_iter()
            .enumerate()
            .map(|(n, v)| BulkRevision {
                number: n as i64 + 1,
                action: v.action,
                author: synthetic::AUTHOR,
                at: v.at,
                published: v.published,
                content: v.content,
            })
            .collect(),
        corrections: story
            .corrections
            .into_iter()
            .map(|(at, text)| BulkCorrection {
                at,
                text: text.to_string(),
                author: synthetic::AUTHOR,
            })
            .collect(),
    }
}
