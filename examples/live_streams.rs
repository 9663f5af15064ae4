//! The live-page load client (`bench/live.sh` runs it): opens many Server-Sent
//! Events streams on one live page, across one or more nodes, publishes a post
//! through the newsroom every interval, and reports post-to-screen latency —
//! from the moment the publish response arrives to the moment each stream
//! receives the post — over every stream and post, with every post checked to
//! have reached every stream exactly once.
//!
//! ```text
//! live_streams --newsroom http://127.0.0.1:18090 --email E --password P \
//!   --streams 10000 --nodes http://127.0.0.1:18090[,http://127.0.0.1:18091] --posts 30 --interval-ms 1000
//! ```
//!
//! Streams are plain HTTP/1.1 over tokio TCP, one task each, so that ten
//! thousand cost little on the client's side of the machine.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MARK: &[u8] = b"Bench post ";

struct Args {
    newsroom: String,
    email: String,
    password: String,
    streams: usize,
    nodes: Vec<String>,
    posts: usize,
    interval: Duration,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        newsroom: String::new(),
        email: String::new(),
        password: String::new(),
        streams: 1000,
        nodes: Vec::new(),
        posts: 30,
        interval: Duration::from_millis(1000),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--newsroom" => a.newsroom = value,
            "--email" => a.email = value,
            "--password" => a.password = value,
            "--streams" => a.streams = value.parse().map_err(|_| "--streams: a number")?,
            "--nodes" => a.nodes = value.split(',').map(str::to_string).collect(),
            "--posts" => a.posts = value.parse().map_err(|_| "--posts: a number")?,
            "--interval-ms" => {
                a.interval =
                    Duration::from_millis(value.parse().map_err(|_| "--interval-ms: a number")?)
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if a.newsroom.is_empty() || a.email.is_empty() || a.password.is_empty() {
        return Err("--newsroom, --email and --password are required".into());
    }
    if a.nodes.is_empty() {
        a.nodes.push(a.newsroom.clone());
    }
    Ok(a)
}

fn token(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + 19;
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

/// A signed-in editor in the newsroom.
struct Editor {
    client: reqwest::Client,
    base: String,
    session: String,
    csrf: String,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl Editor {
    async fn sign_in(base: &str, email: &str, password: &str) -> Result<Editor, Failure> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let form = client
            .get(format!("{base}/newsroom/sign-in"))
            .send()
            .await?;
        let form_cookie = cookie(&form, "dateline_sign_in").ok_or("no sign-in cookie")?;
        let csrf = token(&form.text().await?).ok_or("no sign-in token")?;
        let signed_in = client
            .post(format!("{base}/newsroom/sign-in"))
            .header("cookie", &form_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await?;
        let session = cookie(&signed_in, "dateline_session").ok_or("sign-in refused")?;
        let newsroom = client
            .get(format!("{base}/newsroom"))
            .header("cookie", &session)
            .send()
            .await?
            .text()
            .await?;
        let csrf = token(&newsroom).ok_or("no newsroom token")?;
        Ok(Editor {
            client,
            base: base.to_string(),
            session,
            csrf,
        })
    }

    /// Publishes a story and makes it a live page; returns its id.
    async fn live_story(&self) -> Result<i64, Failure> {
        let sections: serde_json::Value = self
            .client
            .get(format!("{}/api/v1/sections", self.base))
            .send()
            .await?
            .json()
            .await?;
        let europe = sections["sections"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["slug"] == "europe"))
            .ok_or("no europe section")?["id"]
            .to_string();
        let form = reqwest::multipart::Form::new()
            .text("csrf", self.csrf.clone())
            .text("headline", "Benchmark live page")
            .text("summary", "A live page opened by the benchmark.")
            .text("section", europe)
            .text("body", "The benchmark follows this live page.")
            .text("action", "publish");
        let response = self
            .client
            .post(format!("{}/newsroom/stories", self.base))
            .header("cookie", &self.session)
            .multipart(form)
            .send()
            .await?;
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .ok_or("publishing the story did not redirect")?
            .to_string();
        let id: i64 = location
            .trim_start_matches("/newsroom/stories/")
            .split(['/', '?', '#'])
            .next()
            .and_then(|id| id.parse().ok())
            .ok_or(format!("no story id in {location}"))?;
        self.post_form(&format!("/newsroom/stories/{id}/live/start"), &[])
            .await?;
        Ok(id)
    }

    async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Result<(), Failure> {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.session)
            .form(&form)
            .send()
            .await?;
        if response.status() != 303 {
            return Err(format!("{path} answered {}", response.status()).into());
        }
        Ok(())
    }

    /// Publishes post `n` on story `id`'s live page; returns when the response arrived.
    async fn publish(&self, id: i64, n: usize) -> Result<Instant, Failure> {
        let body = format!("Bench post {n:05}: the benchmark published this post.");
        // The post form is multipart: it can carry a picture.
        let form = reqwest::multipart::Form::new()
            .text("csrf", self.csrf.clone())
            .text("body", body);
        let response = self
            .client
            .post(format!("{}/newsroom/stories/{id}/live/posts", self.base))
            .header("cookie", &self.session)
            .multipart(form)
            .send()
            .await?;
        if response.status() != 303 {
            return Err(format!("publishing post {n} answered {}", response.status()).into());
        }
        Ok(Instant::now())
    }
}

/// When each post reached one stream (`None`: not yet), and how many times.
struct Seen {
    at: Vec<Option<Instant>>,
    duplicates: usize,
}

/// Opens a stream and records when each post's mark arrives on it.
async fn follow(
    node: String,
    id: i64,
    posts: usize,
    seen: Arc<Mutex<Seen>>,
    opened: Arc<tokio::sync::Semaphore>,
) -> Result<(), Failure> {
    let address = node.trim_start_matches("http://").to_string();
    let mut socket = TcpStream::connect(&address).await?;
    let request = format!(
        "GET /live/{id}/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await?;
    let mut buffer = vec![0u8; 8192];
    let mut carry: Vec<u8> = Vec::new();
    let mut headers_done = false;
    loop {
        let n = socket.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        let now = Instant::now();
        carry.extend_from_slice(&buffer[..n]);
        if !headers_done {
            if let Some(end) = carry.windows(4).position(|w| w == b"\r\n\r\n") {
                if !carry.starts_with(b"HTTP/1.1 200") {
                    return Err(format!(
                        "stream refused: {}",
                        String::from_utf8_lossy(&carry[..end.min(60)])
                    )
                    .into());
                }
                headers_done = true;
                carry.drain(..end + 4);
                opened.add_permits(1);
            } else {
                continue;
            }
        }
        // Every complete mark in what has arrived.
        let mut consumed = 0;
        while let Some(at) = carry[consumed..]
            .windows(MARK.len())
            .position(|w| w == MARK)
        {
            let start = consumed + at + MARK.len();
            if carry.len() < start + 5 {
                break;
            }
            let number = std::str::from_utf8(&carry[start..start + 5])
                .ok()
                .and_then(|s| s.parse::<usize>().ok());
            if let Some(k) = number.filter(|k| *k < posts) {
                let mut seen = seen.lock().unwrap();
                if seen.at[k].is_some() {
                    seen.duplicates += 1;
                } else {
                    seen.at[k] = Some(now);
                }
            }
            consumed = start + 5;
        }
        // Keep a tail that may hold the start of a mark split across reads.
        let keep_from = if consumed > 0 {
            consumed
        } else {
            carry.len().saturating_sub(MARK.len() + 5)
        };
        carry.drain(..keep_from);
    }
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
        eprintln!("live_streams: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Failure> {
    let args = args()?;
    let editor = Editor::sign_in(&args.newsroom, &args.email, &args.password).await?;
    let id = editor.live_story().await?;
    println!(
        "live page {id}: opening {} streams over {} node(s)",
        args.streams,
        args.nodes.len()
    );

    let opened = Arc::new(tokio::sync::Semaphore::new(0));
    let mut records = Vec::new();
    let mut tasks = Vec::new();
    let started = Instant::now();
    for i in 0..args.streams {
        let node = args.nodes[i % args.nodes.len()].clone();
        let seen = Arc::new(Mutex::new(Seen {
            at: vec![None; args.posts],
            duplicates: 0,
        }));
        records.push((i % args.nodes.len(), Arc::clone(&seen)));
        let opened = Arc::clone(&opened);
        let posts = args.posts;
        tasks.push(tokio::spawn(async move {
            if let Err(e) = follow(node, id, posts, seen, opened).await {
                eprintln!("stream {i}: {e}");
            }
        }));
        // Connect in bursts the listen backlog can take.
        if i % 500 == 499 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let all = u32::try_from(args.streams).unwrap_or(u32::MAX);
    match tokio::time::timeout(Duration::from_secs(120), opened.acquire_many(all)).await {
        Ok(Ok(_)) => {}
        _ => {
            return Err(format!(
                "only {} of {} streams opened",
                opened.available_permits(),
                args.streams
            )
            .into())
        }
    }
    println!(
        "all {} streams open after {:.1} s; publishing {} posts, one every {} ms",
        args.streams,
        started.elapsed().as_secs_f64(),
        args.posts,
        args.interval.as_millis()
    );

    let mut published = Vec::new();
    let mut ticker = tokio::time::interval(args.interval);
    for k in 0..args.posts {
        ticker.tick().await;
        published.push(editor.publish(id, k).await?);
    }
    // Let the last posts arrive (a missing one shows as missing, not as a long wait).
    tokio::time::sleep(Duration::from_secs(5)).await;

    let mut missing = 0usize;
    let mut duplicates = 0usize;
    let mut per_node: Vec<Vec<f64>> = vec![Vec::new(); args.nodes.len()];
    let mut early = 0usize;
    for (node, seen) in &records {
        let seen = seen.lock().unwrap();
        duplicates += seen.duplicates;
        for (k, at) in seen.at.iter().enumerate() {
            match at {
                None => missing += 1,
                Some(at) => {
                    // An event can arrive before the publish response does: count it as 0 ms.
                    let ms = match at.checked_duration_since(published[k]) {
                        Some(d) => d.as_secs_f64() * 1000.0,
                        None => {
                            early += 1;
                            0.0
                        }
                    };
                    per_node[*node].push(ms);
                }
            }
        }
    }
    for task in tasks {
        task.abort();
    }
    let expected = args.streams * args.posts;
    println!(
        "deliveries: {} of {expected} expected, {missing} missing, {duplicates} duplicated, {early} before the publish response",
        expected - missing
    );
    let mut all: Vec<f64> = per_node.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    println!(
        "post-to-screen latency, all streams: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.last().copied().unwrap_or(f64::NAN)
    );
    if args.nodes.len() > 1 {
        for (i, node) in per_node.iter_mut().enumerate() {
            node.sort_by(f64::total_cmp);
            println!(
                "  node {} ({}): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms{}",
                i + 1,
                args.nodes[i],
                percentile(node, 0.5),
                percentile(node, 0.99),
                node.last().copied().unwrap_or(f64::NAN),
                if args.nodes[i] == args.newsroom {
                    " (published here)"
                } else {
                    ""
                }
            );
        }
    }
    if missing > 0 || duplicates > 0 {
        return Err(format!("{missing} deliveries missing, {duplicates} duplicated").into());
    }
    Ok(())
}
