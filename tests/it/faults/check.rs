//! After a fault: every acknowledged write is in the database exactly as sent,
//! every story is whole (its row, revisions, publication state and search index
//! agree), and SQLite's own checks pass.

use std::collections::{BTreeMap, BTreeSet};

use dateline::store::Store;

use super::node::client;
use super::storm::{Ledger, Write};

/// Runs `$body` with `$pool` bound to whichever pool `$store` holds.
macro_rules! on_store {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool, _) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

#[derive(sqlx::FromRow)]
struct StoryRow {
    id: i64,
    status: String,
    revision: i64,
    live_revision: Option<i64>,
    headline: String,
    summary: String,
    body: String,
    slug: String,
    section_id: i64,
    first_published_at: Option<i64>,
    last_updated_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    story_id: i64,
    number: i64,
    published: i64,
    content: String,
}

/// What a check found: the counts it checked and every problem.
#[derive(Debug, Default)]
pub struct Report {
    pub stories: usize,
    pub acked_checked: usize,
    pub problems: Vec<String>,
}

impl Report {
    pub fn assert_clean(&self, what: &str) {
        assert!(
            self.problems.is_empty(),
            "{what}: {} problem(s):\n{}",
            self.problems.len(),
            self.problems
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// The fields of a revision's JSON snapshot the storm sets, as strings.
fn snapshot_fields(json: &str) -> Option<(String, String, String, String, i64)> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    Some((
        value["headline"].as_str()?.to_string(),
        value["summary"].as_str()?.to_string(),
        value["body"].as_str()?.to_string(),
        value["slug"].as_str()?.to_string(),
        value["section_id"].as_i64()?,
    ))
}

/// Checks the whole database against the ledger of acknowledged writes.
pub async fn verify(store: &Store, ledger: &Ledger) -> Report {
    let mut report = Report::default();
    let problems = &mut report.problems;
    let (stories, revisions, invalidations, audit) = on_store!(store, pool => {
        let stories: Vec<StoryRow> = sqlx::query_as(
            "SELECT id, status, revision, live_revision, headline, summary, body, slug, section_id, \
             first_published_at, last_updated_at FROM stories ORDER BY id",
        )
        .fetch_all(pool)
        .await
        .expect("read stories");
        let revisions: Vec<RevisionRow> = sqlx::query_as(
            "SELECT story_id, number, published, content FROM story_revisions ORDER BY story_id, number",
        )
        .fetch_all(pool)
        .await
        .expect("read revisions");
        let invalidations: Vec<String> = sqlx::query_scalar("SELECT keys FROM invalidations")
            .fetch_all(pool)
            .await
            .expect("read invalidations");
        let audit: Vec<String> = sqlx::query_scalar("SELECT subject FROM audit_log")
            .fetch_all(pool)
            .await
            .expect("read the audit log");
        (stories, revisions, invalidations, audit)
    });
    report.stories = stories.len();
    let mut by_story: BTreeMap<i64, Vec<&RevisionRow>> = BTreeMap::new();
    for revision in &revisions {
        by_story
            .entry(revision.story_id)
            .or_default()
            .push(revision);
    }

    // Every story is whole.
    for story in &stories {
        let revs = by_story.get(&story.id).map(Vec::as_slice).unwrap_or(&[]);
        let numbers: Vec<i64> = revs.iter().map(|r| r.number).collect();
        if numbers != (1..=story.revision).collect::<Vec<_>>() {
            problems.push(format!(
                "story {}: revision {} but revisions {numbers:?}",
                story.id, story.revision
            ));
            continue;
        }
        // The row shows the live revision when published (or killed after publication),
        // else the newest.
        let shown = match (story.status.as_str(), story.live_revision) {
            ("published", None) => {
                problems.push(format!(
                    "story {}: published without a live revision",
                    story.id
                ));
                continue;
            }
            (_, Some(live)) if story.status != "draft" => live,
            _ => story.revision,
        };
        let Some(shown_rev) = revs.iter().find(|r| r.number == shown) else {
            problems.push(format!("story {}: live revision {shown} missing", story.id));
            continue;
        };
        if story.status == "published" {
            if shown_rev.published != 1 {
                problems.push(format!(
                    "story {}: live revision {shown} is not marked published",
                    story.id
                ));
            }
            if story.first_published_at.is_none() || story.last_updated_at.is_none() {
                problems.push(format!("story {}: published without its times", story.id));
            }
        }
        match snapshot_fields(&shown_rev.content) {
            Some((headline, summary, body, slug, section_id))
                if (
                    headline.as_str(),
                    summary.as_str(),
                    body.as_str(),
                    slug.as_str(),
                    section_id,
                ) == (
                    story.headline.as_str(),
                    story.summary.as_str(),
                    story.body.as_str(),
                    story.slug.as_str(),
                    story.section_id,
                ) => {}
            Some((headline, ..)) => problems.push(format!(
                "story {} ({}): row shows {:?} but revision {shown} is {headline:?}",
                story.id, story.status, story.headline
            )),
            None => problems.push(format!(
                "story {}: revision {shown} is not a valid snapshot",
                story.id
            )),
        }
    }

    // Every acknowledged write is there, exactly as sent.
    let rows: BTreeMap<i64, &StoryRow> = stories.iter().map(|s| (s.id, s)).collect();
    let invalidated: BTreeSet<&str> = invalidations
        .iter()
        .flat_map(|keys| keys.split(' '))
        .collect();
    let mut audited: BTreeMap<&str, usize> = BTreeMap::new();
    for subject in &audit {
        *audited.entry(subject.as_str()).or_default() += 1;
    }
    let mut acked_per_story: BTreeMap<i64, Vec<&Write>> = BTreeMap::new();
    for write in &ledger.acked {
        let Some(id) = write.story else { continue };
        acked_per_story.entry(id).or_default().push(write);
    }
    for (id, writes) in &acked_per_story {
        let Some(row) = rows.get(id) else {
            problems.push(format!("story {id}: acknowledged but missing"));
            continue;
        };
        let revs = by_story.get(id).map(Vec::as_slice).unwrap_or(&[]);
        for write in writes {
            report.acked_checked += 1;
            let Some(rev) = revs.iter().find(|r| r.number == write.revision) else {
                problems.push(format!(
                    "story {id}: acknowledged revision {} missing",
                    write.revision
                ));
                continue;
            };
            match snapshot_fields(&rev.content) {
                Some((headline, summary, body, _, _))
                    if headline == write.headline
                        && summary == write.summary
                        && body == write.body.trim() => {}
                other => problems.push(format!(
                    "story {id} revision {}: acknowledged {:?}, stored {:?}",
                    write.revision,
                    write.headline,
                    other.map(|o| o.0)
                )),
            }
            if write.publish {
                if rev.published != 1 {
                    problems.push(format!(
                        "story {id}: acknowledged publication of revision {} not marked published",
                        write.revision
                    ));
                }
                if row.status != "published" || row.live_revision < Some(write.revision) {
                    problems.push(format!(
                        "story {id}: acknowledged publication of revision {} but {} at live revision {:?}",
                        write.revision, row.status, row.live_revision
                    ));
                }
                if !invalidated.contains(format!("story-{id}").as_str()) {
                    problems.push(format!(
                        "story {id}: published with no invalidation logged for other nodes"
                    ));
                }
            }
        }
        let newest_acked = writes.iter().map(|w| w.revision).max().unwrap_or(0);
        // One more write may have landed without its answer: then it is the pending one, whole.
        if row.revision == newest_acked + 1 {
            let landed = revs.iter().find(|r| r.number == row.revision);
            let pending = ledger
                .pending
                .iter()
                .find(|p| p.story == Some(*id) && p.revision == row.revision);
            let same = match (landed.and_then(|r| snapshot_fields(&r.content)), pending) {
                (Some((headline, ..)), Some(p)) => headline == p.headline,
                _ => false,
            };
            if !same {
                problems.push(format!(
                    "story {id}: revision {} is neither acknowledged nor the write in flight",
                    row.revision
                ));
            }
        } else if row.revision != newest_acked {
            problems.push(format!(
                "story {id}: at revision {} but {newest_acked} acknowledged",
                row.revision
            ));
        }
        let audits = audited
            .get(format!("story {id}").as_str())
            .copied()
            .unwrap_or(0);
        if audits < writes.len() {
            problems.push(format!(
                "story {id}: {} acknowledged writes but {audits} audit entries",
                writes.len()
            ));
        }
    }

    // The search index finds every storm story by the token of the text its row holds.
    for story in &stories {
        let Some(token) = story
            .headline
            .split_whitespace()
            .find(|w| w.starts_with("zq"))
        else {
            continue;
        };
        let found: Vec<i64> = match store {
            Store::Sqlite(pool, _) => {
                sqlx::query_scalar(
                    "SELECT s.id FROM stories_fts JOIN stories s ON s.search_rowid = stories_fts.rowid \
                     WHERE stories_fts MATCH $1",
                )
                    .bind(format!("\"{token}\""))
                    .fetch_all(pool)
                    .await
                    .expect("search")
            }
            Store::Postgres(pool) => sqlx::query_scalar(
                "SELECT id FROM stories WHERE search_vector @@ plainto_tsquery('english', $1)",
            )
            .bind(token)
            .fetch_all(pool)
            .await
            .expect("search"),
        };
        if found != [story.id] {
            problems.push(format!(
                "story {}: search for {token} finds {found:?}",
                story.id
            ));
        }
    }

    if let Store::Sqlite(pool, _) = store {
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(pool)
            .await
            .expect("integrity_check");
        if integrity != ["ok"] {
            problems.push(format!("PRAGMA integrity_check: {integrity:?}"));
        }
        let orphans: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(pool)
            .await
            .unwrap_or_default();
        if !orphans.is_empty() {
            problems.push(format!("PRAGMA foreign_key_check: {orphans:?}"));
        }
        // With rank 1, FTS5 also checks its index against the `stories` rows it indexes.
        if let Err(e) =
            sqlx::query("INSERT INTO stories_fts (stories_fts, rank) VALUES ('integrity-check', 1)")
                .execute(pool)
                .await
        {
            problems.push(format!("FTS5 integrity-check: {e}"));
        }
    }
    report
}

/// Through the restarted server: published storm stories answer with their live
/// headline, and the public search API finds them. Checks up to `limit` stories.
pub async fn verify_public(base: &str, ledger: &Ledger, limit: usize) -> Vec<String> {
    let client = client();
    let mut newest: BTreeMap<i64, &Write> = BTreeMap::new();
    for write in ledger.acked.iter().filter(|w| w.publish) {
        if let Some(id) = write.story {
            let entry = newest.entry(id).or_insert(write);
            if write.revision > entry.revision {
                *entry = write;
            }
        }
    }
    let mut problems = Vec::new();
    for (id, write) in newest.iter().take(limit) {
        // A later publication may have landed without its answer: then that headline shows.
        let later: Vec<&str> = ledger
            .pending
            .iter()
            .filter(|p| p.story == Some(*id) && p.publish)
            .map(|p| p.headline.as_str())
            .collect();
        let shows =
            |html: &str| html.contains(&write.headline) || later.iter().any(|h| html.contains(h));
        let short = client.get(format!("{base}/news/{id}")).send().await;
        let page = match short {
            Ok(r) if r.status() == 301 => {
                let location = r
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let target = if location.starts_with("http") {
                    location
                } else {
                    format!("{base}{location}")
                };
                match client.get(target).send().await {
                    Ok(r) if r.status() == 200 => r.text().await.unwrap_or_default(),
                    Ok(r) => {
                        problems.push(format!("story {id}: article answered {}", r.status()));
                        continue;
                    }
                    Err(e) => {
                        problems.push(format!("story {id}: {e}"));
                        continue;
                    }
                }
            }
            Ok(r) => {
                problems.push(format!("story {id}: /news/{id} answered {}", r.status()));
                continue;
            }
            Err(e) => {
                problems.push(format!("story {id}: {e}"));
                continue;
            }
        };
        if !shows(&page) {
            problems.push(format!(
                "story {id}: the public page does not show {:?}",
                write.headline
            ));
        }
        let search = client
            .get(format!("{base}/api/v1/search?q={}", write.token))
            .send()
            .await;
        let found = match search {
            Ok(r) if r.status() == 200 => r.text().await.unwrap_or_default(),
            Ok(r) => format!("status {}", r.status()),
            Err(e) => e.to_string(),
        };
        let expected = format!("\"id\":{id},");
        if !found.contains(&expected) && later.is_empty() {
            problems.push(format!(
                "story {id}: public search for {} does not find it: {}",
                write.token,
                found.chars().take(200).collect::<String>()
            ));
        }
    }
    problems
}
