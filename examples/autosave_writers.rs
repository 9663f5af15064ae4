//! The autosave load client (`bench/autosave.sh` runs it): many journalists
//! typing at once, each signed in as their own account on their own draft, each
//! sending the editor's whole form to `POST /newsroom/stories/{id}/autosave` as
//! the editor's script does, again as soon as the last answer arrived (or after
//! `--pause-ms`), for `--seconds`. Reports how many autosaves were answered and
//! their latency (p50, p99, max); every answer must be 200 with the JSON the
//! script reads (`saved_at` as HH:MM:SS, `stale` null), and afterwards every
//! writer's editor page must offer the unsaved text back, or the run fails.
//!
//! ```text
//! autosave_writers --base http://127.0.0.1:18098 --email-format 'writer{}@localhost.localdomain' \
//!   --password P --writers 20 --seconds 30 [--pause-ms 0]
//! ```

use std::time::{Duration, Instant};

type Failure = Box<dyn std::error::Error + Send + Sync>;

struct Args {
    base: String,
    email_format: String,
    password: String,
    writers: usize,
    seconds: u64,
    pause: Duration,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        base: String::new(),
        email_format: String::new(),
        password: String::new(),
        writers: 20,
        seconds: 30,
        pause: Duration::ZERO,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base" => a.base = value,
            "--email-format" => a.email_format = value,
            "--password" => a.password = value,
            "--writers" => a.writers = value.parse().map_err(|_| "--writers: a number")?,
            "--seconds" => a.seconds = value.parse().map_err(|_| "--seconds: a number")?,
            "--pause-ms" => {
                a.pause = Duration::from_millis(value.parse().map_err(|_| "--pause-ms: a number")?)
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if a.base.is_empty() || !a.email_format.contains("{}") || a.password.is_empty() {
        return Err(
            "--base, --email-format (with {} for the writer's number) and --password are required"
                .into(),
        );
    }
    Ok(a)
}

fn value_after(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)? + marker.len();
    Some(html[at..].split('"').next()?.to_string())
}

fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// One journalist: signed in, with a draft of their own open in the editor.
struct Writer {
    number: usize,
    client: reqwest::Client,
    base: String,
    session: String,
    csrf: String,
    story: i64,
    base_revision: String,
    section: String,
}

impl Writer {
    async fn start(args: &Args, number: usize, section: &str) -> Result<Writer, Failure> {
        let base = args.base.clone();
        let email = args.email_format.replace("{}", &number.to_string());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let form = client
            .get(format!("{base}/newsroom/sign-in"))
            .send()
            .await?;
        let form_cookie = cookie(&form, "dateline_sign_in").ok_or("no sign-in cookie")?;
        let csrf =
            value_after(&form.text().await?, "name=\"csrf\" value=\"").ok_or("no sign-in token")?;
        let signed_in = client
            .post(format!("{base}/newsroom/sign-in"))
            .header("cookie", &form_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email.as_str()),
                ("password", args.password.as_str()),
            ])
            .send()
            .await?;
        let session =
            cookie(&signed_in, "dateline_session").ok_or(format!("{email}: sign-in refused"))?;
        let page = client
            .get(format!("{base}/newsroom/stories/new"))
            .header("cookie", &session)
            .send()
            .await?
            .text()
            .await?;
        let csrf = value_after(&page, "name=\"csrf\" value=\"").ok_or("no newsroom token")?;
        let mut writer = Writer {
            number,
            client,
            base,
            session,
            csrf,
            story: 0,
            base_revision: String::new(),
            section: section.to_string(),
        };
        let created = writer
            .client
            .post(format!("{}/newsroom/stories", writer.base))
            .header("cookie", &writer.session)
            .multipart(writer.form("The first words.").text("action", "save"))
            .send()
            .await?;
        let location = created
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .ok_or(format!(
                "{email}: saving the draft answered {}",
                created.status()
            ))?
            .to_string();
        writer.story = location
            .trim_start_matches("/newsroom/stories/")
            .split(['/', '?'])
            .next()
            .and_then(|id| id.parse().ok())
            .ok_or(format!("no story id in {location}"))?;
        let editor = writer.editor_page().await?;
        writer.base_revision = value_after(&editor, "name=\"base_revision\" value=\"")
            .ok_or("no base revision on the editor page")?;
        Ok(writer)
    }

    async fn editor_page(&self) -> Result<String, Failure> {
        Ok(self
            .client
            .get(format!("{}/newsroom/stories/{}", self.base, self.story))
            .header("cookie", &self.session)
            .send()
            .await?
            .text()
            .await?)
    }

    /// The editor's fields as the script sends them (the empty file input included).
    fn form(&self, body: &str) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new().text("csrf", self.csrf.clone());
        if !self.base_revision.is_empty() {
            form = form.text("base_revision", self.base_revision.clone());
        }
        form.text(
            "headline",
            format!("Autosave benchmark, writer {}", self.number),
        )
        .text("promo_headline", "")
        .text("summary", "A story typed by the autosave benchmark.")
        .text("section", self.section.clone())
        .text("byline", format!("By Writer {}", self.number))
        .text("slug", "")
        .text("body", body.to_string())
        .text("image_alt", "")
        .text("image_caption", "")
        .text("image_credit", "")
        .text("related_search", "")
        .text("embargo", "")
        .part(
            "image",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        )
    }

    /// Types for `until`: an autosave after every burst of words; the latencies
    /// of the answers, and what was wrong with any that was not as expected.
    async fn type_until(self, until: Instant, pause: Duration) -> (Self, Vec<f64>, Vec<String>) {
        let mut latencies = Vec::new();
        let mut wrong = Vec::new();
        let mut body = String::from("The first words.");
        let path = format!("{}/newsroom/stories/{}/autosave", self.base, self.story);
        let mut burst = 0usize;
        while Instant::now() < until {
            burst += 1;
            // A paragraph every ten bursts; a story of a few thousand characters, as typed.
            if body.len() > 6000 {
                body.truncate(1000);
            }
            body.push_str(if burst.is_multiple_of(10) {
                "\n\n"
            } else {
                " "
            });
            body.push_str(&format!("word{burst} and more words"));
            let started = Instant::now();
            let sent = self
                .client
                .post(&path)
                .header("cookie", &self.session)
                .multipart(self.form(&body))
                .send()
                .await;
            let problem = match sent {
                Err(e) => Some(format!("request failed: {e}")),
                Ok(response) => {
                    let status = response.status();
                    let json = response.headers().get("content-type").is_some_and(|v| {
                        v.to_str().is_ok_and(|v| v.starts_with("application/json"))
                    });
                    let text = response.text().await.unwrap_or_default();
                    latencies.push(started.elapsed().as_secs_f64() * 1000.0);
                    check_answer(status.as_u16(), json, &text)
                }
            };
            if let Some(problem) = problem {
                wrong.push(format!("writer {}: {problem}", self.number));
            }
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        }
        (self, latencies, wrong)
    }
}

/// What is wrong with an autosave's answer, if anything.
fn check_answer(status: u16, json: bool, text: &str) -> Option<String> {
    if status != 200 || !json {
        return Some(format!("answered {status} (JSON: {json}): {text:.200}"));
    }
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => return Some(format!("not JSON: {text:.200}")),
    };
    let saved_at = value["saved_at"].as_str().unwrap_or_default();
    let clock = saved_at.len() == 8
        && saved_at
            .split(':')
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
    let keys = value.as_object().map(|o| o.len()).unwrap_or(0);
    if !clock || !value["stale"].is_null() || keys != 2 {
        return Some(format!("unexpected answer: {text:.200}"));
    }
    None
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("autosave_writers: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Failure> {
    let args = args()?;
    let sections: serde_json::Value = reqwest::get(format!("{}/api/v1/sections", args.base))
        .await?
        .json()
        .await?;
    let section = sections["sections"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["slug"] == "europe"))
        .ok_or("no europe section")?["id"]
        .to_string();
    let mut writers = Vec::new();
    for n in 1..=args.writers {
        writers.push(Writer::start(&args, n, &section).await?);
    }
    println!(
        "{} writers signed in, each on their own draft; autosaving for {} s{}",
        writers.len(),
        args.seconds,
        if args.pause.is_zero() {
            ", each again as soon as answered".to_string()
        } else {
            format!(", each {} ms after its answer", args.pause.as_millis())
        }
    );
    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let tasks: Vec<_> = writers
        .into_iter()
        .map(|w| tokio::spawn(w.type_until(until, args.pause)))
        .collect();
    let mut all = Vec::new();
    let mut wrong = Vec::new();
    let mut writers = Vec::new();
    for task in tasks {
        let (writer, latencies, problems) = task.await?;
        all.extend(latencies);
        wrong.extend(problems);
        writers.push(writer);
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Each writer's slot holds their last typing, offered back on the editor page;
    // the story itself is still at the revision it was opened on.
    for writer in &writers {
        let page = writer.editor_page().await?;
        if !page.contains("id=\"restore-offer\"") {
            wrong.push(format!(
                "writer {}: no restore offer on the editor page",
                writer.number
            ));
        }
        if value_after(&page, "name=\"base_revision\" value=\"").as_deref()
            != Some(writer.base_revision.as_str())
        {
            wrong.push(format!(
                "writer {}: the story's revision changed",
                writer.number
            ));
        }
    }
    all.sort_by(f64::total_cmp);
    println!(
        "autosaves: {} answered in {elapsed:.1} s ({:.0}/s), {} wrong",
        all.len(),
        all.len() as f64 / elapsed,
        wrong.len()
    );
    println!(
        "latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.last().copied().unwrap_or(f64::NAN)
    );
    for problem in wrong.iter().take(10) {
        eprintln!("  {problem}");
    }
    if !wrong.is_empty() {
        return Err(format!("{} wrong answers", wrong.len()).into());
    }
    Ok(())
}
