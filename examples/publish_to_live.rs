//! Measures publish-to-live: how long after an editor's publish request returns
//! the story is on the front page. Run against a serving Dateline:
//!
//! `cargo run --release --example publish_to_live -- http://127.0.0.1:18080 EMAIL PASSWORD [ROUNDS]`

use std::time::{Duration, Instant};

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
        eprintln!("usage: publish_to_live BASE_URL EMAIL PASSWORD [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(20);
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

    let mut waits = Vec::new();
    for round in 0..rounds {
        let headline = format!(
            "Bench story {round} {}",
            Instant::now().elapsed().as_nanos() ^ (round as u128 * 7919)
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
        let response = client
            .post(format!("{base}/newsroom/stories"))
            .header("cookie", &session)
            .multipart(form)
            .send()
            .await?;
        if response.status() != 303 {
            return Err(format!("publish answered {}", response.status()).into());
        }
        let returned = Instant::now();
        loop {
            let front = client.get(format!("{base}/")).send().await?.text().await?;
            if front.contains(&headline) {
                break;
            }
            if returned.elapsed() > Duration::from_secs(10) {
                return Err("the story did not reach the front page within 10 s".into());
            }
        }
        waits.push(returned.elapsed());
    }
    waits.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "publish-to-live over {rounds} publishes: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (time from the publish response to the front page showing the story)",
        ms(waits[waits.len() / 2]),
        ms(waits[(waits.len() * 99 / 100).min(waits.len() - 1)]),
        ms(waits[waits.len() - 1])
    );
    Ok(())
}
