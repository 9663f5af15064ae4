//! Live pages' readers on this node: the streams open on each live page, the
//! breaking-news banner, and how a change reaches them.
//!
//! A change to a live page reaches every node as its story's key in the
//! invalidation log (migration 0018's triggers; `cluster` follows the log, with
//! PostgreSQL's NOTIFY waking it at once), and this node's own changes pass
//! through the same `invalidation::drop_local_copies`. That calls
//! [`LiveHub::story_changed`], which wakes the story's one reader task, if any
//! stream is open on it: the task reads the public changes after the last one
//! it sent (`live_post_changes`, one query however many readers), renders each
//! once as an SSE frame, and broadcasts the frame to every stream. A stream
//! that falls behind the broadcast, or resumes after a lost connection
//! (`Last-Event-ID`), reads what it missed from the database, so no reader
//! misses or repeats a change.
//!
//! The banner is held here for every page's chrome, and read again from the
//! database whenever the key `chrome` is dropped.

use super::l10n;
use crate::domain::edition::Edition;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::{broadcast, Notify};

use super::html::{live_post, text, PostParts};
use super::state::AppState;
use crate::domain::timefmt;
use crate::store::{keys, LiveChangeRow, RunningBanner, Store, StoreError};

/// How many frames a stream may fall behind before it reads from the database instead.
const BROADCAST_CAPACITY: usize = 256;
/// Most changes sent in one read.
pub const BATCH: i64 = 500;
/// A story's task reads the database at least this often while streams are open,
/// in case a wake-up was lost (it never should be; this bounds the damage).
const SAFETY_READ: Duration = Duration::from_secs(30);

/// A frame of an open live page's stream.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The change's id (0 for frames that carry none, like the end of the stream).
    pub id: i64,
    pub bytes: Bytes,
    /// The live page ended or the story left the public: the stream closes after this frame.
    pub last: bool,
}

/// One story's open streams.
struct StoryStreams {
    frames: broadcast::Sender<Frame>,
    wake: Notify,
}

/// Every open stream on this node, and the banner.
pub struct LiveHub {
    stories: Mutex<HashMap<i64, Arc<StoryStreams>>>,
    banner: RwLock<Option<Arc<RunningBanner>>>,
    banner_frames: broadcast::Sender<Bytes>,
    /// Set when the node shuts down: every stream ends, and browsers reconnect
    /// (to another node, or this one restarted) from their `Last-Event-ID`.
    closing: tokio::sync::watch::Sender<bool>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub {
            stories: Mutex::default(),
            banner: RwLock::default(),
            banner_frames: broadcast::channel(16).0,
            closing: tokio::sync::watch::channel(false).0,
        }
    }
}

impl LiveHub {
    /// The hub with the banner running now.
    pub async fn load(store: &Store) -> Result<LiveHub, StoreError> {
        let hub = LiveHub::default();
        hub.set_banner(store.breaking_news().await?);
        Ok(hub)
    }

    /// The banner every public page shows now, if any.
    pub fn banner(&self) -> Option<Arc<RunningBanner>> {
        self.banner.read().ok().and_then(|b| b.clone())
    }

    fn set_banner(&self, banner: Option<RunningBanner>) -> bool {
        let banner = banner.map(Arc::new);
        let Ok(mut held) = self.banner.write() else {
            return false;
        };
        let changed = *held != banner;
        *held = banner;
        changed
    }

    /// Ends every open stream (the node is shutting down).
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when the node starts shutting down; for each stream to select on.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Streams open on this node, all live pages and the banner's together.
    pub fn open_streams(&self) -> usize {
        let stories: usize = self
            .stories
            .lock()
            .map(|s| s.values().map(|s| s.frames.receiver_count()).sum())
            .unwrap_or(0);
        stories + self.banner_frames.receiver_count()
    }

    /// Story `story_id` changed (its key was dropped): its reader task reads what is new.
    pub fn story_changed(&self, story_id: i64) {
        if let Ok(stories) = self.stories.lock() {
            if let Some(streams) = stories.get(&story_id) {
                streams.wake.notify_one();
            }
        }
    }

    /// A receiver of story `story_id`'s frames, starting the story's reader task
    /// (which sends what comes after `last_change`) if none runs.
    pub fn subscribe(
        &self,
        state: &AppState,
        story_id: i64,
        last_change: i64,
    ) -> broadcast::Receiver<Frame> {
        let Ok(mut stories) = self.stories.lock() else {
            // A poisoned lock: a receiver that never receives; the stream's keep-alives still flow.
            return broadcast::channel(1).1;
        };
        if let Some(streams) = stories.get(&story_id) {
            return streams.frames.subscribe();
        }
        let (frames, receiver) = broadcast::channel(BROADCAST_CAPACITY);
        let streams = Arc::new(StoryStreams {
            frames,
            wake: Notify::new(),
        });
        stories.insert(story_id, Arc::clone(&streams));
        tokio::spawn(follow_story(state.clone(), story_id, last_change, streams));
        receiver
    }

    /// A receiver of the banner's frames.
    pub fn subscribe_banner(&self) -> broadcast::Receiver<Bytes> {
        self.banner_frames.subscribe()
    }

    /// Forgets story `story_id`'s streams if no reader is left on them.
    fn release(&self, story_id: i64, streams: &Arc<StoryStreams>) -> bool {
        let Ok(mut stories) = self.stories.lock() else {
            return true;
        };
        if streams.frames.receiver_count() > 0 {
            return false;
        }
        if stories
            .get(&story_id)
            .is_some_and(|s| Arc::ptr_eq(s, streams))
        {
            stories.remove(&story_id);
        }
        true
    }
}

/// The keys this node dropped, for the hub: stories' keys wake their streams,
/// `chrome` reloads the banner. Called by `invalidation::drop_local_copies`.
pub fn keys_dropped(state: &AppState, dropped: &[String]) {
    for key in dropped {
        if key == keys::CHROME {
            tokio::spawn(reload_banner(state.clone()));
        } else if let Some(id) = key.strip_prefix("story-").and_then(|id| id.parse().ok()) {
            state.live.story_changed(id);
        }
    }
}

/// Reads the banner again; when it changed, drops the pages rendered with the
/// old one in the meantime (the key was dropped before this read finished) and
/// tells open pages.
async fn reload_banner(state: AppState) {
    match state.store.breaking_news().await {
        Ok(banner) => {
            let frame = banner_frame(banner.as_ref());
            if state.live.set_banner(banner) {
                state.cache.invalidate(&[keys::CHROME.to_string()]);
                let _ = state.live.banner_frames.send(frame);
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not read the breaking-news banner"),
    }
}

/// The edition of story `story_id` (the English one when it cannot be read: the
/// stream's posts are then labelled in English, which loses nothing).
pub async fn story_edition(state: &AppState, story_id: i64) -> Arc<Edition> {
    let id = state
        .store
        .story_edition(story_id)
        .await
        .unwrap_or(crate::domain::edition::ROOT_EDITION);
    Arc::clone(state.editions.by_id(id).unwrap_or(state.editions.root()))
}

/// The banner as an SSE frame: `event: banner` with `{"text","link"}`, or `null` when none runs.
pub fn banner_frame(banner: Option<&RunningBanner>) -> Bytes {
    let data = match banner {
        Some(b) => serde_json::json!({ "text": b.text, "link": b.link }),
        None => serde_json::Value::Null,
    };
    Bytes::from(format!("event: banner\ndata: {data}\n\n"))
}

/// Story `story_id`'s reader task: while any stream is open on it, reads the
/// public changes after the last one sent whenever woken, and broadcasts them.
async fn follow_story(state: AppState, story_id: i64, mut sent: i64, streams: Arc<StoryStreams>) {
    // Posts are written in the live page's edition: its language and time zone.
    let edition = story_edition(&state, story_id).await;
    loop {
        let woken = tokio::time::timeout(SAFETY_READ, streams.wake.notified()).await;
        if woken.is_err() && state.live.release(story_id, &streams) {
            return;
        }
        if streams.frames.receiver_count() == 0 && state.live.release(story_id, &streams) {
            return;
        }
        loop {
            let now = state.clock.now();
            match state
                .store
                .public_live_changes_since(story_id, sent, now, BATCH)
                .await
            {
                Ok(Some(changes)) => {
                    let full = changes.len() as i64 == BATCH;
                    let ended = changes.iter().any(|c| c.kind == "end");
                    for change in &changes {
                        sent = change.id;
                        let _ = streams.frames.send(change_frame(&edition, change));
                    }
                    if ended {
                        close(&state, story_id, &streams);
                        return;
                    }
                    if !full {
                        break;
                    }
                }
                // Killed, embargoed again or unpublished: every stream on it closes.
                Ok(None) => {
                    close(&state, story_id, &streams);
                    return;
                }
                Err(e) => {
                    tracing::warn!(story_id, error = %e, "could not read a live page's changes");
                    // Try again at the next wake-up or safety read.
                    break;
                }
            }
        }
    }
}

/// Sends the closing frame and forgets the story: streams on it end after the frame.
fn close(state: &AppState, story_id: i64, streams: &Arc<StoryStreams>) {
    if let Ok(mut stories) = state.live.stories.lock() {
        if stories
            .get(&story_id)
            .is_some_and(|s| Arc::ptr_eq(s, streams))
        {
            stories.remove(&story_id);
        }
    }
    let _ = streams.frames.send(Frame {
        id: 0,
        bytes: Bytes::from_static(b"event: end\ndata: {}\n\n"),
        last: true,
    });
}

/// One change as an SSE frame. `event:` is the change's kind (publish, edit,
/// delete, pin, unpin, end); `data:` is JSON with the post's id, its place in
/// publication order and, except for a deletion, its HTML as the page shows it.
pub fn change_frame(edition: &Edition, change: &LiveChangeRow) -> Frame {
    let data = change_json(edition, change);
    Frame {
        id: change.id,
        bytes: Bytes::from(format!(
            "id: {}\nevent: {}\ndata: {}\n\n",
            change.id, change.kind, data
        )),
        last: change.kind == "end",
    }
}

/// A change as JSON, for a stream's frame.
pub fn change_json(edition: &Edition, change: &LiveChangeRow) -> serde_json::Value {
    let html = match change.kind.as_str() {
        "delete" => String::new(),
        "end" => text(&change.body).into_string(),
        _ => post_html(edition, change),
    };
    serde_json::json!({
        "post": change.post_id,
        "seq": change.seq,
        "pinned": change.pinned,
        "html": html,
    })
}

fn post_html(edition: &Edition, change: &LiveChangeRow) -> String {
    let at = timefmt::from_unix(change.published_at.unwrap_or(change.at));
    let time_label = timefmt::edition_clock_time(at, edition);
    let key_label = l10n::edition_text(edition, "live-key-point", Vec::new());
    let datetime = timefmt::rfc3339(at);
    live_post(&PostParts {
        id: change.post_id.unwrap_or(0),
        seq: change.seq.unwrap_or(0),
        body: &change.body,
        image: change.image_id.map(|id| {
            (
                id,
                change.image_width,
                change.image_height,
                change.image_alt.as_str(),
            )
        }),
        byline: &change.byline,
        pinned: change.pinned,
        key_label: &key_label,
        time_label: &time_label,
        datetime: &datetime,
    })
    .into_string()
}
