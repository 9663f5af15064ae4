//! Sponsorship campaigns (migration 0028): saving and ending a campaign, an
//! editor's switch that keeps a story free of them, the commercial power, each
//! one transaction with its audit row and the log row that makes every node
//! reload its campaigns (key `sponsors`); and the counts of impressions and
//! clicks, each one upsert that adds one, exact under any concurrency.

use super::{keys, on_pool, BeginWrite, Store, StoreError};
use crate::domain::sponsor::{Campaign, CampaignDraft, Placement};

const AUDIT: &str =
    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)";

const CAMPAIGN_COLUMNS: &str = "c.id, c.sponsor, c.image_id, i.width AS image_width, \
     i.height AS image_height, c.alt, c.line, c.link, c.starts_at, c.ends_at, c.placement, \
     c.in_print, c.updated_at, c.updated_by";

/// (campaign id, section or story id) pairs.
type Targets = Vec<(i64, i64)>;

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: i64,
    sponsor: String,
    image_id: i64,
    image_width: i64,
    image_height: i64,
    alt: String,
    line: String,
    link: String,
    starts_at: i64,
    ends_at: i64,
    placement: String,
    in_print: i64,
    updated_at: i64,
    updated_by: String,
}

/// A campaign with who changed it last, for the newsroom.
#[derive(Debug, Clone)]
pub struct CampaignRecord {
    pub campaign: Campaign,
    pub updated_at: i64,
    pub updated_by: String,
}

/// One campaign's counts on one day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SponsorCounts {
    pub campaign_id: i64,
    pub sponsor: String,
    pub day: String,
    pub impressions: i64,
    pub clicks: i64,
}

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SponsorEvent {
    Impression,
    Click,
}

impl Store {
    /// Every campaign, newest start first; only those not ended by `ended_after`
    /// when it is given (what each node holds in memory).
    pub async fn sponsor_campaigns(
        &self,
        ended_after: Option<i64>,
    ) -> Result<Vec<CampaignRecord>, StoreError> {
        let sql = format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM sponsor_campaigns c JOIN images i ON i.id = c.image_id \
             WHERE c.ends_at > $1 ORDER BY c.starts_at DESC, c.id DESC"
        );
        let after = ended_after.unwrap_or(i64::MIN);
        let (rows, sections, stories): (Vec<CampaignRow>, Targets, Targets) = on_pool!(self, pool => {
            let rows = sqlx::query_as(&sql).bind(after).fetch_all(pool).await?;
            let sections = sqlx::query_as(
                "SELECT s.campaign_id, s.section_id FROM sponsor_campaign_sections s \
                 JOIN sponsor_campaigns c ON c.id = s.campaign_id WHERE c.ends_at > $1 \
                 ORDER BY s.section_id",
            ).bind(after).fetch_all(pool).await?;
            let stories = sqlx::query_as(
                "SELECT s.campaign_id, s.story_id FROM sponsor_campaign_stories s \
                 JOIN sponsor_campaigns c ON c.id = s.campaign_id WHERE c.ends_at > $1 \
                 ORDER BY s.story_id",
            ).bind(after).fetch_all(pool).await?;
            (rows, sections, stories)
        });
        Ok(rows
            .into_iter()
            .map(|row| record(row, &sections, &stories))
            .collect())
    }

    /// Campaign `id`, ended or not.
    pub async fn sponsor_campaign(&self, id: i64) -> Result<Option<CampaignRecord>, StoreError> {
        let sql = format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM sponsor_campaigns c JOIN images i ON i.id = c.image_id \
             WHERE c.id = $1"
        );
        let (row, sections, stories): (Option<CampaignRow>, Targets, Targets) = on_pool!(self, pool => {
            let row = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
            let sections = sqlx::query_as(
                "SELECT campaign_id, section_id FROM sponsor_campaign_sections WHERE campaign_id = $1 ORDER BY section_id",
            ).bind(id).fetch_all(pool).await?;
            let stories = sqlx::query_as(
                "SELECT campaign_id, story_id FROM sponsor_campaign_stories WHERE campaign_id = $1 ORDER BY story_id",
            ).bind(id).fetch_all(pool).await?;
            (row, sections, stories)
        });
        Ok(row.map(|row| record(row, &sections, &stories)))
    }

    /// Writes campaign `id` (a new one when `None`) with its picture `image_id`,
    /// its places, its audit row and the `sponsors` log row, in one transaction.
    /// Returns its id, or `None` when `id` names no campaign.
    pub async fn save_sponsor_campaign(
        &self,
        id: Option<i64>,
        draft: &CampaignDraft,
        image_id: i64,
        actor: &str,
        at: i64,
    ) -> Result<Option<i64>, StoreError> {
        let log = self.log_invalidation_sql();
        let (sections, stories) = match &draft.placement {
            Placement::Site => (&[][..], &[][..]),
            Placement::Sections(ids) => (&ids[..], &[][..]),
            Placement::Stories(ids) => (&[][..], &ids[..]),
        };
        let in_print = i64::from(draft.in_print);
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let saved: Option<i64> = match id {
                None => Some(sqlx::query_scalar(
                    "INSERT INTO sponsor_campaigns (sponsor, image_id, alt, line, link, starts_at, ends_at, \
                     placement, in_print, created_at, created_by, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11) RETURNING id",
                )
                .bind(&draft.sponsor).bind(image_id).bind(&draft.alt).bind(&draft.line)
                .bind(&draft.link).bind(draft.starts_at).bind(draft.ends_at)
                .bind(draft.placement.kind()).bind(in_print).bind(at).bind(actor)
                .fetch_one(&mut *tx).await?),
                Some(id) => sqlx::query_scalar(
                    "UPDATE sponsor_campaigns SET sponsor = $1, image_id = $2, alt = $3, line = $4, \
                     link = $5, starts_at = $6, ends_at = $7, placement = $8, in_print = $9, \
                     updated_at = $10, updated_by = $11 WHERE id = $12 RETURNING id",
                )
                .bind(&draft.sponsor).bind(image_id).bind(&draft.alt).bind(&draft.line)
                .bind(&draft.link).bind(draft.starts_at).bind(draft.ends_at)
                .bind(draft.placement.kind()).bind(in_print).bind(at).bind(actor).bind(id)
                .fetch_optional(&mut *tx).await?,
            };
            let Some(saved) = saved else {
                return Ok(None);
            };
            sqlx::query("DELETE FROM sponsor_campaign_sections WHERE campaign_id = $1")
                .bind(saved).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sponsor_campaign_stories WHERE campaign_id = $1")
                .bind(saved).execute(&mut *tx).await?;
            for section in sections {
                sqlx::query("INSERT INTO sponsor_campaign_sections (campaign_id, section_id) VALUES ($1, $2)")
                    .bind(saved).bind(section).execute(&mut *tx).await?;
            }
            for story in stories {
                sqlx::query("INSERT INTO sponsor_campaign_stories (campaign_id, story_id) VALUES ($1, $2)")
                    .bind(saved).bind(story).execute(&mut *tx).await?;
            }
            let action = if id.is_some() { "sponsor campaign changed" } else { "sponsor campaign created" };
            sqlx::query(AUDIT)
                .bind(at).bind(actor).bind(action).bind(format!("campaign {saved}"))
                .bind(format!("{} → {} ({}, {}–{})", draft.sponsor, draft.link, draft.placement.kind(), draft.starts_at, draft.ends_at))
                .execute(&mut *tx).await?;
            sqlx::query(log).bind(keys::SPONSORS).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(Some(saved))
        })
    }

    /// Ends campaign `id` at `at` (one not yet started never starts). Returns
    /// whether it was running or due to run.
    pub async fn end_sponsor_campaign(
        &self,
        id: i64,
        actor: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let log = self.log_invalidation_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ended = sqlx::query(
                "UPDATE sponsor_campaigns SET ends_at = $1, starts_at = CASE WHEN starts_at < $1 \
                 THEN starts_at ELSE $1 - 1 END, updated_at = $1, updated_by = $2 \
                 WHERE id = $3 AND ends_at > $1",
            )
            .bind(at).bind(actor).bind(id).execute(&mut *tx).await?.rows_affected();
            if ended == 0 {
                return Ok(false);
            }
            sqlx::query(AUDIT)
                .bind(at).bind(actor).bind("sponsor campaign ended")
                .bind(format!("campaign {id}")).bind("")
                .execute(&mut *tx).await?;
            sqlx::query(log).bind(keys::SPONSORS).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The stories whose sponsor slot editors switched off.
    pub async fn sponsor_free_stories(&self) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT story_id FROM sponsor_free_stories ORDER BY story_id",
        ).fetch_all(pool).await?))
    }

    /// Whether story `story_id`'s slot is switched off.
    pub async fn sponsor_slot_off(&self, story_id: i64) -> Result<bool, StoreError> {
        self.is_member(&SLOT_OFF, story_id).await
    }

    /// Switches story `story_id`'s sponsor slot off (or on again), with its
    /// audit row and the log row naming the story and `sponsors`. Returns whether
    /// anything changed.
    pub async fn set_sponsor_slot(
        &self,
        story_id: i64,
        off: bool,
        actor: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let change = MembershipChange {
            add: off,
            actor,
            at,
            action: if off {
                "sponsor slot switched off"
            } else {
                "sponsor slot switched on"
            },
            subject: format!("story {story_id}"),
            logged: format!("{} {}", keys::story(story_id), keys::SPONSORS),
        };
        self.set_membership(&SLOT_OFF, story_id, change).await
    }

    /// Adds one to campaign `campaign_id`'s count of `event` on `day`: one
    /// statement, so concurrent requests on any node each add exactly one.
    pub async fn count_sponsor_event(
        &self,
        campaign_id: i64,
        day: &str,
        event: SponsorEvent,
    ) -> Result<(), StoreError> {
        let sql = match event {
            SponsorEvent::Impression => {
                "INSERT INTO sponsor_counts (campaign_id, day, impressions, clicks) VALUES ($1, $2, 1, 0) \
                 ON CONFLICT (campaign_id, day) DO UPDATE SET impressions = sponsor_counts.impressions + 1"
            }
            SponsorEvent::Click => {
                "INSERT INTO sponsor_counts (campaign_id, day, impressions, clicks) VALUES ($1, $2, 0, 1) \
                 ON CONFLICT (campaign_id, day) DO UPDATE SET clicks = sponsor_counts.clicks + 1"
            }
        };
        on_pool!(self, pool => sqlx::query(sql).bind(campaign_id).bind(day).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Every campaign's counts per day, newest day first (one campaign's when `campaign` is given).
    pub async fn sponsor_counts(
        &self,
        campaign: Option<i64>,
    ) -> Result<Vec<SponsorCounts>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT n.campaign_id, c.sponsor, n.day, n.impressions, n.clicks FROM sponsor_counts n \
             JOIN sponsor_campaigns c ON c.id = n.campaign_id \
             WHERE $1 = 0 OR n.campaign_id = $1 ORDER BY n.day DESC, n.campaign_id",
        ).bind(campaign.unwrap_or(0)).fetch_all(pool).await?))
    }

    /// The staff holding the commercial power (admins hold it without a row).
    pub async fn commercial_staff(&self) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT user_id FROM commercial_staff ORDER BY user_id",
        ).fetch_all(pool).await?))
    }

    /// Whether staff member `user_id` holds the commercial power by a row.
    pub async fn has_commercial_power(&self, user_id: i64) -> Result<bool, StoreError> {
        self.is_member(&COMMERCIAL, user_id).await
    }

    /// Grants or withdraws the commercial power, with its audit row. Returns
    /// whether anything changed (nothing does for an unknown user).
    pub async fn set_commercial_power(
        &self,
        user_id: i64,
        grant: bool,
        actor: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        // Accounts are disabled, never deleted: the address read here stays true.
        let Some(user) = self.user(user_id).await? else {
            return Ok(false);
        };
        let change = MembershipChange {
            add: grant,
            actor,
            at,
            action: if grant {
                "commercial power granted"
            } else {
                "commercial power withdrawn"
            },
            subject: format!("user {}", user.email),
            // Every node's newsroom menu reads the power from its copy of the campaigns.
            logged: keys::SPONSORS.to_string(),
        };
        self.set_membership(&COMMERCIAL, user_id, change).await
    }

    /// Whether `table` holds a row for `id`.
    async fn is_member(&self, table: &Membership, id: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT {key} FROM {name} WHERE {key} = $1",
            key = table.key,
            name = table.name
        );
        let found: Option<i64> =
            on_pool!(self, pool => sqlx::query_scalar(&sql).bind(id).fetch_optional(pool).await?);
        Ok(found.is_some())
    }

    /// Adds `id`'s row to `table` or removes it, with the audit row and the
    /// invalidation log row `change` names, in one transaction. Returns whether
    /// anything changed (nothing is written when not).
    async fn set_membership(
        &self,
        table: &Membership,
        id: i64,
        change: MembershipChange<'_>,
    ) -> Result<bool, StoreError> {
        let Membership {
            name,
            key,
            at_column,
            by_column,
        } = table;
        let sql = if change.add {
            format!(
                "INSERT INTO {name} ({key}, {at_column}, {by_column}) VALUES ($1, $2, $3) \
                 ON CONFLICT ({key}) DO NOTHING"
            )
        } else {
            format!("DELETE FROM {name} WHERE {key} = $1")
        };
        let log = self.log_invalidation_sql();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut query = sqlx::query(&sql).bind(id);
            if change.add {
                query = query.bind(change.at).bind(change.actor);
            }
            if query.execute(&mut *tx).await?.rows_affected() == 0 {
                return Ok(false);
            }
            sqlx::query(AUDIT)
                .bind(change.at).bind(change.actor).bind(change.action).bind(&change.subject).bind("")
                .execute(&mut *tx).await?;
            sqlx::query(log).bind(&change.logged).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }
}

/// A switch kept as the presence of a row: a story whose sponsor slot is off,
/// a member of staff with the commercial power.
struct Membership {
    name: &'static str,
    key: &'static str,
    /// When and by whom the row was added.
    at_column: &'static str,
    by_column: &'static str,
}

const SLOT_OFF: Membership = Membership {
    name: "sponsor_free_stories",
    key: "story_id",
    at_column: "set_at",
    by_column: "set_by",
};

const COMMERCIAL: Membership = Membership {
    name: "commercial_staff",
    key: "user_id",
    at_column: "granted_at",
    by_column: "granted_by",
};

/// One change of a [`Membership`]: the row added (or removed), and what the
/// audit log and the invalidation log say of it.
struct MembershipChange<'a> {
    add: bool,
    actor: &'a str,
    at: i64,
    action: &'static str,
    subject: String,
    /// The keys dropped on every node (space-separated).
    logged: String,
}

fn record(row: CampaignRow, sections: &[(i64, i64)], stories: &[(i64, i64)]) -> CampaignRecord {
    let of = |pairs: &[(i64, i64)]| {
        pairs
            .iter()
            .filter(|(c, _)| *c == row.id)
            .map(|(_, t)| *t)
            .collect::<Vec<_>>()
    };
    let placement = match row.placement.as_str() {
        "sections" => Placement::Sections(of(sections)),
        "stories" => Placement::Stories(of(stories)),
        _ => Placement::Site,
    };
    CampaignRecord {
        campaign: Campaign {
            id: row.id,
            sponsor: row.sponsor,
            image_id: row.image_id,
            image_width: row.image_width,
            image_height: row.image_height,
            alt: row.alt,
            line: row.line,
            link: row.link,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            placement,
            in_print: row.in_print != 0,
        },
        updated_at: row.updated_at,
        updated_by: row.updated_by,
    }
}
