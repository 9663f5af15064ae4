//! `dateline user …`: staff accounts from the command line.

use anyhow::{bail, Context, Result};
use std::io::{BufRead, IsTerminal};

use crate::cli::UserCommand;
use crate::config::Settings;
use crate::staff;

const ACTOR: &str = "command line";

pub async fn run(settings: Settings, command: UserCommand) -> Result<()> {
    let store = super::open_store(&settings).await?;
    let now = jiff::Timestamp::now().as_second();
    match command {
        UserCommand::Add {
            email,
            role,
            name,
            password_stdin,
            editions,
        } => {
            // The editions are checked before the password is asked for.
            let site = &settings.site;
            let all = store.editions(&site.name, &site.time_zone_name).await?;
            let editions = staff::editions_named(&all, &editions)?;
            let password = read_password(password_stdin)?;
            let account = staff::NewAccount {
                email: &email,
                name: &name,
                role,
                password: &password,
                editions: &editions,
            };
            let user = staff::create_account(&store, &account, ACTOR, now).await?;
            match editions.as_slice() {
                [] => println!("created {} ({})", user.email, user.role.as_str()),
                some => {
                    let names: Vec<&str> = some.iter().map(|e| e.english_name.as_str()).collect();
                    println!(
                        "created {} ({}, working in {})",
                        user.email,
                        user.role.as_str(),
                        names.join(", ")
                    );
                }
            }
        }
        UserCommand::List => {
            for user in store.users().await? {
                let state = if user.disabled { "disabled" } else { "active" };
                println!(
                    "{}\t{}\t{}\t{}",
                    user.email,
                    user.role.as_str(),
                    state,
                    user.display_name
                );
            }
        }
        UserCommand::SetRole { email, role } => {
            let user = staff::set_role(&store, &email, role, ACTOR, now).await?;
            println!("{} is now {}", user.email, role.as_str());
        }
        UserCommand::Disable { email } => {
            let user = staff::set_disabled(&store, &email, true, ACTOR, now).await?;
            println!("{} is disabled and signed out", user.email);
        }
        UserCommand::Enable { email } => {
            let user = staff::set_disabled(&store, &email, false, ACTOR, now).await?;
            println!("{} is enabled", user.email);
        }
        UserCommand::Commercial { email, grant, .. } => {
            let site = &settings.site;
            let every_edition: Vec<i64> = store
                .editions(&site.name, &site.time_zone_name)
                .await?
                .iter()
                .map(|e| e.id)
                .collect();
            let (user, changed) =
                staff::set_commercial_power_of(&store, &email, grant, &every_edition, ACTOR, now)
                    .await?;
            let said = match (grant, changed) {
                (true, true) => "may now run sponsor campaigns",
                (true, false) => "already held the commercial power",
                (false, true) => "no longer runs sponsor campaigns",
                (false, false) => "did not hold the commercial power",
            };
            println!("{} {said}", user.email);
        }
    }
    store.close().await;
    Ok(())
}

/// The new password: one line from standard input, or asked twice on the terminal.
fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("there is no terminal to ask for the password on: use --password-stdin");
    }
    let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
    let second =
        rpassword::prompt_password("Password again: ").context("cannot read the password")?;
    if first != second {
        bail!("the two passwords are not the same");
    }
    Ok(first)
}
