//! Measures publish-to-live: how long after an editor's publish request is
//! sent the story is on the front page, on the node that published it and on
//! every other node given (nodes sharing one PostgreSQL database). Run against
//! a serving Dateline:
//!
//! `cargo run --release --example publish_to_live -- http://127.0.0.1:18080 EMAIL PASSWORD [ROUNDS [OTHER_NODE…]]`
//!
//! The clock starts before the request is written, so the figure includes the
//! publish itself, as an editor waiting for the story to appear would see it.

use std::time::{Duration, Instant};

/// Longest wait for one node to show one story before the run fails.
const GIVE_UP: Duration = Duration::from_secs(10);

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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, email, password, rest @ ..] = args.as_slice() else {
        eprintln!("usage: publish_to_live BASE_URL EMAIL PASSWORD [ROUNDS [OTHER_NODE_URL…]]");
        std::process::exit(2);
    };
    let rounds: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(20);
    // The publishing node first, then the others, each watched for every story.
    let nodes: Vec<String> = std::iter::once(base.clone())
        .chain(rest.iter().skip(1).cloned())
        .collect();
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
            ("email", email.as_str()),
            ("password", password.as_str()),
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
    let sections: serde_json::Value = client
        .get(format!("{base}/api/v1/sections"))
        .send()
        .await?
        .json()
        .await?;
    let europe = sections["sections"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["slug"] == "europe"))
        .ok_or("no europe section")?["id"]
        .to_string();

    let mut waits: Vec<Vec<Duration>> = vec![Vec::new(); nodes.len()];
    let mut answers = Vec::new();
    for round in 0..rounds {
        let headline = format!(
            "Bench story {round} {}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_nanos()
        );
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("headline", headline.clone())
            .text("summary", "A story published by the benchmark.")
            .text("section", europe.clone())
            .text(
                "body",
                "The benchmark published this story.\n\n## Why\n\nTo time publish-to-live.",
            )
            .text("action", "publish");
        let sent = Instant::now();
        let response = client
            .post(format!("{base}/newsroom/stories"))
            .header("cookie", &session)
            .multipart(form)
            .send()
            .await?;
        if response.status() != 303 {
            return Err(format!("publish answered {}", response.status()).into());
        }
        answers.push(sent.elapsed());
        // Every node is watched at once, so a slow one does not delay the others' clocks.
        let watches = nodes
            .iter()
            .map(|node| shown_after(&client, node, &headline, sent));
        for (node, wait) in futures_util::future::join_all(watches)
            .await
            .into_iter()
            .enumerate()
        {
            waits[node].push(wait.map_err(|e| format!("{}: {e}", nodes[node]))?);
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let summary = |mut all: Vec<Duration>| {
        all.sort();
        format!(
            "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            ms(all[all.len() / 2]),
            ms(all[(all.len() * 99 / 100).min(all.len() - 1)]),
            ms(all[all.len() - 1])
        )
    };
    println!(
        "publish-to-live over {rounds} publishes, from the moment each publish request was sent to the front page showing the story:"
    );
    for (index, (node, node_waits)) in nodes.iter().zip(waits).enumerate() {
        let role = if index == 0 {
            "the publishing node"
        } else {
            "another node"
        };
        println!("  {node} ({role}): {}", summary(node_waits));
    }
    println!(
        "  (the publish request itself was answered in {})",
        summary(answers)
    );
    Ok(())
}

/// Polls `node`'s front page until it shows `headline`; the time since `sent`.
async fn shown_after(
    client: &reqwest::Client,
    node: &str,
    headline: &str,
    sent: Instant,
) -> Result<Duration, String> {
    loop {
        let front = client
            .get(format!("{node}/"))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        if front.contains(headline) {
            return Ok(sent.elapsed());
        }
        if sent.elapsed() > GIVE_UP {
            return Err(format!(
                "the story did not reach the front page within {} s",
                GIVE_UP.as_secs()
            ));
        }
    }
}
