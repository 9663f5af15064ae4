//! The sponsor slot on this node: the campaigns that have not ended, the stories
//! editors keep free of them and who holds the commercial power, held in memory
//! so that an article page chooses its campaign without a query. Reloaded when
//! the key `sponsors` is dropped (a change made on any node reaches every node
//! through the invalidation log), and looked at every scheduler tick so that a
//! campaign starting or ending, or the rotation's hour turning, drops the pages
//! rendered before (see "The sponsor slot" in docs/ARCHITECTURE.md).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::invalidation::{self, keys};
use super::AppState;
use crate::domain::section::SectionTree;
use crate::domain::sponsor::{self, Campaign, SlotStory};
use crate::domain::story::Story;
use crate::domain::timefmt;
use crate::media;
use crate::store::{Store, StoreError};

/// The width of the picture the slot shows.
pub const PICTURE_WIDTH: i64 = 320;

/// Where a campaign's picture is fetched (and its impression counted).
pub fn picture_path(id: i64) -> String {
    format!("/sponsor/{id}/picture")
}

/// Where a click on a campaign goes first (and is counted).
pub fn click_path(id: i64) -> String {
    format!("/sponsor/{id}/go")
}

/// What this node holds.
#[derive(Default, PartialEq)]
struct Held {
    campaigns: Vec<Campaign>,
    slot_off: HashSet<i64>,
    commercial: HashSet<i64>,
}

/// The campaigns and switches this node serves from.
pub struct SponsorBook {
    /// Off for the static export, which never shows the slot.
    enabled: bool,
    held: RwLock<Arc<Held>>,
    /// Tickets of the reads: each reload takes the next before it reads, and
    /// `installed` is the newest ticket held. Reloads run concurrently (one
    /// per `sponsors` key the follower reads), and one that began earlier may
    /// finish later: it must not put back a book older than the one held.
    tickets: AtomicU64,
    installed: Mutex<u64>,
    /// The slots' state (`domain::sponsor::slot_state`) the cached pages were rendered under.
    seen: Mutex<Option<(Vec<i64>, Option<i64>)>>,
}

/// A campaign as the slot shows it.
pub struct SponsorView {
    pub href: String,
    pub picture: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub sponsor: String,
    pub line: String,
}

impl SponsorBook {
    /// The book as the database has it at `now`.
    pub async fn load(store: &Store, now: i64) -> Result<SponsorBook, StoreError> {
        Ok(SponsorBook {
            enabled: true,
            held: RwLock::new(Arc::new(read(store, now).await?)),
            tickets: AtomicU64::new(1),
            installed: Mutex::new(0),
            seen: Mutex::default(),
        })
    }

    /// A book that never shows a campaign (the static export).
    pub fn off() -> SponsorBook {
        SponsorBook {
            enabled: false,
            held: RwLock::default(),
            tickets: AtomicU64::new(1),
            installed: Mutex::new(0),
            seen: Mutex::default(),
        }
    }

    fn held(&self) -> Arc<Held> {
        self.held.read().map(|h| Arc::clone(&h)).unwrap_or_default()
    }

    /// The ticket a reload takes before it reads the database.
    fn ticket(&self) -> u64 {
        self.tickets.fetch_add(1, Ordering::SeqCst)
    }

    /// Holds `held`, read under `ticket`, unless a read that began later is
    /// already held; whether what is held changed.
    fn replace(&self, held: Held, ticket: u64) -> bool {
        let Ok(mut installed) = self.installed.lock() else {
            return false;
        };
        if ticket < *installed {
            return false;
        }
        let Ok(mut current) = self.held.write() else {
            return false;
        };
        *installed = ticket;
        let changed = **current != held;
        *current = Arc::new(held);
        changed
    }

    /// Campaign `id` if it runs at `now`.
    pub fn running(&self, id: i64, now: i64) -> Option<Campaign> {
        self.held()
            .campaigns
            .iter()
            .find(|c| c.id == id && c.runs_at(now))
            .cloned()
    }

    /// Whether story `story_id`'s slot is switched off.
    pub fn slot_off(&self, story_id: i64) -> bool {
        self.held().slot_off.contains(&story_id)
    }

    /// Whether staff member `user_id` holds the commercial power (the newsroom's
    /// menu asks; handlers check the database).
    pub fn is_commercial(&self, user_id: i64) -> bool {
        self.held().commercial.contains(&user_id)
    }

    /// The campaign `story`'s slot shows at `now` (in the print view when `print`).
    pub fn slot(
        &self,
        sections: &SectionTree,
        story: &Story,
        now: i64,
        print: bool,
    ) -> Option<SponsorView> {
        if !self.enabled {
            return None;
        }
        let held = self.held();
        let mut chain = Vec::new();
        let mut current = sections.by_id(story.content.section_id);
        while let Some(section) = current {
            chain.push(section.id);
            current = section.parent_id.and_then(|p| sections.by_id(p));
        }
        let slot_story = SlotStory {
            id: story.id,
            sections: &chain,
            public: story.is_public(now),
            slot_off: held.slot_off.contains(&story.id),
        };
        let campaign = sponsor::choose(&held.campaigns, &slot_story, now, print)?;
        let width = media::rendition_width(campaign.image_width, PICTURE_WIDTH);
        Some(SponsorView {
            href: click_path(campaign.id),
            picture: picture_path(campaign.id),
            width,
            height: (campaign.image_height * width)
                .checked_div(campaign.image_width)
                .unwrap_or(width),
            alt: campaign.alt.clone(),
            sponsor: campaign.sponsor.clone(),
            line: campaign.line.clone(),
        })
    }
}

async fn read(store: &Store, now: i64) -> Result<Held, StoreError> {
    let mut campaigns: Vec<Campaign> = store
        .sponsor_campaigns(Some(now))
        .await?
        .into_iter()
        .map(|r| r.campaign)
        .collect();
    campaigns.sort_by_key(|c| c.id);
    Ok(Held {
        campaigns,
        slot_off: store.sponsor_free_stories().await?.into_iter().collect(),
        commercial: store.commercial_staff().await?.into_iter().collect(),
    })
}

/// Reads the book again; when it changed, drops the pages rendered with the
/// old one in the meantime (the key was dropped before this read finished).
pub async fn reload(state: &AppState) -> Result<(), StoreError> {
    if !state.sponsors.enabled {
        return Ok(());
    }
    let ticket = state.sponsors.ticket();
    let held = read(&state.store, state.now()).await?;
    if state.sponsors.replace(held, ticket) {
        state.cache.invalidate(&[keys::SPONSORS.to_string()]);
    }
    Ok(())
}

/// The keys this node dropped: `sponsors` reloads the book. Called by
/// `invalidation::drop_local_copies`.
pub fn keys_dropped(state: &AppState, dropped: &[String]) {
    if dropped.iter().any(|k| k == keys::SPONSORS) {
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = reload(&state).await {
                tracing::warn!(error = %e, "could not read the sponsor campaigns");
            }
        });
    }
}

/// Run every scheduler tick on every node: when a campaign started or ended
/// since the last look, or the rotation's hour turned while campaigns share a
/// slot, the pages showing the slot are dropped here and at the CDN.
pub fn tick(state: &AppState) {
    if !state.sponsors.enabled {
        return;
    }
    let now = state.now();
    let current = sponsor::slot_state(&state.sponsors.held().campaigns, now);
    let Ok(mut seen) = state.sponsors.seen.lock() else {
        return;
    };
    let changed = seen.as_ref().is_some_and(|s| *s != current);
    *seen = Some(current);
    drop(seen);
    if changed {
        invalidation::invalidate(state, vec![keys::SPONSORS.to_string()]);
    }
}

/// The day counts are kept under: the site's date at `now`.
pub fn count_day(state: &AppState, now: i64) -> String {
    timefmt::from_unix(now)
        .to_zoned(state.site.time_zone.clone())
        .strftime("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held_with_commercial(user_id: i64) -> Held {
        Held {
            commercial: HashSet::from([user_id]),
            ..Held::default()
        }
    }

    #[test]
    fn a_read_that_began_earlier_never_replaces_a_later_one() {
        let book = SponsorBook::off();
        let earlier = book.ticket();
        let later = book.ticket();
        assert!(book.replace(held_with_commercial(2), later));
        assert!(!book.replace(held_with_commercial(1), earlier), "stale");
        assert!(book.is_commercial(2) && !book.is_commercial(1));
        let next = book.ticket();
        assert!(book.replace(held_with_commercial(3), next));
        assert!(book.is_commercial(3));
    }
}
