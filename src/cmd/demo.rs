//! `dateline demo`: load (or with `--reset`, reload) the demo newsroom; with
//! `--stories N`, add a synthetic archive of N stories on top of it.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Instant;

use crate::cli::DemoArgs;
use crate::config::Settings;
use crate::demo::archive::{self, ArchiveOptions};

pub async fn run(settings: Settings, args: DemoArgs) -> Result<()> {
    let store = super::open_store(&settings).await?;
    let pictures = super::pictures(&settings)?;
    if let Some(stories) = args.stories {
        let result = synthetic(&store, &pictures, stories, &args).await;
        store.close().await;
        return result;
    }
    if args.reset {
        let now = jiff::Timestamp::now().as_second();
        let removed = crate::media::reset::delete_all_content(&store, &pictures, now).await?;
        if removed.renditions > 0 {
            println!(
                "deleted {} picture renditions from object storage",
                removed.renditions
            );
        }
    } else if store.story_count().await? > 0 {
        anyhow::bail!("the database already has stories; use `dateline demo --reset` to replace them with the demo");
    }
    let loaded = crate::demo::load(&store, &pictures).await?;
    println!("loaded {loaded} demo stories");
    let ready = super::ready_after_load(&store).await;
    store.close().await;
    ready
}

async fn synthetic(
    store: &crate::store::Store,
    pictures: &crate::media::Pictures,
    stories: u64,
    args: &DemoArgs,
) -> Result<()> {
    // The archive ends at the start of today (UTC), so a run on the same day with
    // the same seed gives the same stories.
    let now = jiff::Timestamp::now().as_second();
    let options = ArchiveOptions {
        stories,
        seed: args.seed,
        end: now - now.rem_euclid(86_400),
        reset: args.reset,
    };
    let bar = ProgressBar::new(stories).with_style(ProgressStyle::with_template(
        "{bar:40} {human_pos}/{human_len} stories, {per_sec}, {elapsed} (about {eta} left)",
    )?);
    let started = Instant::now();
    let report = archive::load(store, pictures, &options, |done| bar.set_position(done)).await?;
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    if report.demo_stories > 0 {
        println!("loaded {} demo stories", report.demo_stories);
    }
    println!(
        "generated {} synthetic stories (ids {}–{}, {} killed) in {:.1} s: {:.0} stories/s",
        report.inserted,
        report.first_id,
        report.first_id + report.inserted as i64 - 1,
        report.killed,
        seconds,
        report.inserted as f64 / seconds.max(0.001)
    );
    super::ready_after_load(store).await
}
