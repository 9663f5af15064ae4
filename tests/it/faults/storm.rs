//! A storm of newsroom writes (creates, saves, publishes, updates) from several
//! workers at once, with a ledger of every write the server acknowledged.
//!
//! Each worker owns its stories, so it knows each revision number exactly: a create
//! is revision 1 and a save sent with `base_revision` r that is acknowledged is r + 1
//! (the server refuses it with a conflict otherwise). After any write that was not
//! acknowledged, its outcome is unknown, so the worker records it as pending and
//! starts a new story.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::node::Newsroom;

/// One write: what was sent, and for an acknowledged one, where it landed.
#[derive(Debug, Clone)]
pub struct Write {
    /// The story (for a pending create, unknown).
    pub story: Option<i64>,
    /// The revision this write made (acknowledged) or would have made (pending).
    pub revision: i64,
    /// A word found in no other write: the search index must find the story by it.
    pub token: String,
    pub headline: String,
    pub summary: String,
    pub body: String,
    pub publish: bool,
}

/// What a storm did.
#[derive(Debug, Default)]
pub struct Ledger {
    pub acked: Vec<Write>,
    /// Writes whose answer never came (or was not a success): either outcome is allowed.
    pub pending: Vec<Write>,
    /// Statuses other than the 303 of a saved form, with what was being done.
    pub refusals: Vec<(u16, String)>,
    /// Requests that got no HTTP answer at all: what was being done, and the error.
    pub no_answer: Vec<String>,
}

impl Ledger {
    pub fn merge(&mut self, other: Ledger) {
        self.acked.extend(other.acked);
        self.pending.extend(other.pending);
        self.refusals.extend(other.refusals);
        self.no_answer.extend(other.no_answer);
    }

    pub fn publishes(&self) -> usize {
        self.acked.iter().filter(|w| w.publish).count()
    }
}

/// How a worker reacts to a write that got no answer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OnNoAnswer {
    /// The server was killed: stop.
    Stop,
    /// The database is away for a while: pause and carry on.
    KeepGoing,
}

/// Runs `workers` writers against `newsroom` until `stop` is set (or, with
/// `OnNoAnswer::Stop`, until the server stops answering). `tag` keeps tokens unique
/// across storms on the same database.
pub async fn run(
    newsroom: &Newsroom,
    section_id: i64,
    workers: usize,
    tag: &str,
    stop: Arc<AtomicBool>,
    on_no_answer: OnNoAnswer,
) -> Ledger {
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let newsroom = newsroom.clone();
        let stop = Arc::clone(&stop);
        let tag = format!("{tag}w{worker}");
        tasks.push(tokio::spawn(async move {
            worker_loop(&newsroom, section_id, &tag, &stop, on_no_answer).await
        }));
    }
    let mut ledger = Ledger::default();
    for task in tasks {
        ledger.merge(task.await.expect("storm worker"));
    }
    ledger
}

/// Revisions per story before a worker starts another.
const REVISIONS_PER_STORY: i64 = 5;

async fn worker_loop(
    newsroom: &Newsroom,
    section_id: i64,
    tag: &str,
    stop: &AtomicBool,
    on_no_answer: OnNoAnswer,
) -> Ledger {
    let mut ledger = Ledger::default();
    // The story being worked on and its newest acknowledged revision.
    let mut current: Option<(i64, i64)> = None;
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let token = format!("zq{tag}n{n}");
        // Every third write publishes: a first publication or an update of a live story.
        let publish = n.is_multiple_of(3);
        let write = Write {
            story: current.map(|(id, _)| id),
            revision: current.map_or(1, |(_, rev)| rev + 1),
            headline: format!("Storm story {token} headline"),
            summary: format!("What happened in {token}."),
            body: format!("The intro of {token}.\n\n## Crosshead\n\nAnother paragraph, write {n}."),
            token,
            publish,
        };
        let mut fields = vec![
            ("headline", write.headline.clone()),
            ("summary", write.summary.clone()),
            ("section", section_id.to_string()),
            ("byline", "By The Storm".to_string()),
            ("body", write.body.clone()),
            (
                "action",
                if publish { "publish" } else { "save" }.to_string(),
            ),
        ];
        let path = match current {
            None => "/newsroom/stories".to_string(),
            Some((id, rev)) => {
                fields.push(("base_revision", rev.to_string()));
                format!("/newsroom/stories/{id}")
            }
        };
        let what = format!(
            "{} {}",
            if publish { "publish" } else { "save" },
            path.trim_start_matches("/newsroom/")
        );
        match newsroom.post_story(&path, &fields).await {
            Ok(response) if response.status() == 303 => {
                let id = match current {
                    Some((id, _)) => id,
                    None => match story_id_in(&response) {
                        Some(id) => id,
                        None => {
                            ledger.refusals.push((303, format!("{what}: no story id")));
                            continue;
                        }
                    },
                };
                ledger.acked.push(Write {
                    story: Some(id),
                    ..write.clone()
                });
                current = (write.revision < REVISIONS_PER_STORY).then_some((id, write.revision));
            }
            Ok(response) => {
                ledger
                    .refusals
                    .push((response.status().as_u16(), what.clone()));
                ledger.pending.push(write);
                current = None;
                if on_no_answer == OnNoAnswer::KeepGoing {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            Err(e) => {
                ledger.no_answer.push(format!("{what}: {e:?}"));
                ledger.pending.push(write);
                current = None;
                match on_no_answer {
                    OnNoAnswer::Stop => break,
                    OnNoAnswer::KeepGoing => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        }
    }
    ledger
}

/// The story id in the editor's redirect (`/newsroom/stories/<id>?notice=…`).
fn story_id_in(response: &reqwest::Response) -> Option<i64> {
    let location = response.headers().get("location")?.to_str().ok()?;
    location
        .strip_prefix("/newsroom/stories/")?
        .split(['?', '/'])
        .next()?
        .parse()
        .ok()
}

/// Waits until `url` answers 200, up to `limit`; returns how long it took.
pub async fn until_ok(client: &reqwest::Client, url: &str, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(response) = client.get(url).send().await {
            if response.status() == 200 {
                return Some(start.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}
