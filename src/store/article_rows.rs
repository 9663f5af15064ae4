//! Everything a public article page reads about its story, in one statement:
//! the story with its related stories and links, its live page, the sizes of
//! the pictures it shows, its corrections, its comment settings, its
//! translation group and the site's promos. The stories it lists (related,
//! versions, promos) are then read together by one `published_summaries`, so
//! an article page costs two statements on a cache miss (three for a live page,
//! whose posts are the third).

use rusqlite::OptionalExtension;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::inline_reads::Columns;
use super::json_lists::{decode, sorted};
use super::stories::{StoryRow, LIVE_COLUMNS, LIVE_JOIN};
use super::{on_pool, Correction, LiveHead, PromoEdition, Store, StoreError, TranslationGroup};
use crate::domain::comment::{Mode, Settings};
use crate::domain::story::Story;

/// A story and everything its article page lists, as stored.
#[derive(Debug, Clone)]
pub struct ArticleRows {
    pub story: Story,
    /// Its live page; `None` for an ordinary story.
    pub live: Option<LiveHead>,
    /// The original size of each stored picture the story shows (lead and body), by id.
    pub picture_sizes: HashMap<i64, (i64, i64)>,
    pub corrections: Vec<Correction>,
    pub comments: Settings,
    /// Its versions in other editions; `None` when it has none.
    pub translations: Option<TranslationGroup>,
    /// Every story chosen as a site-wide promo, in order, public or not, with its edition.
    pub promos: Vec<PromoEdition>,
}

#[derive(sqlx::FromRow)]
struct ArticleRow {
    #[sqlx(flatten)]
    story: StoryRow,
    pictures_json: String,
    corrections_json: String,
    comment_mode: Option<String>,
    comment_closed_at: Option<i64>,
    comment_shown_count: Option<i64>,
    translation_original: Option<i64>,
    translations_json: String,
    promos_json: String,
}

impl Store {
    /// Story `id` in any state, with everything its article page lists.
    pub async fn article_rows(&self, id: i64) -> Result<Option<ArticleRows>, StoreError> {
        let sql = self.article_rows_sql();
        if let Store::Sqlite(_, inline) = self {
            let read = inline.run(sql, |connection, sql| {
                connection
                    .prepare_cached(sql)?
                    .query_row([id], ArticleRow::from_sqlite)
                    .optional()
            });
            if let Some(row) = read {
                return row.map(ArticleRow::into_rows).transpose();
            }
        }
        let row: Option<ArticleRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
        row.map(ArticleRow::into_rows).transpose()
    }

    /// The statement, written once per dialect: building it was a fiftieth of a page's work.
    fn article_rows_sql(&self) -> &'static str {
        static SQLITE: OnceLock<String> = OnceLock::new();
        static POSTGRES: OnceLock<String> = OnceLock::new();
        let kept = match self {
            Store::Sqlite(..) => &SQLITE,
            Store::Postgres(_) => &POSTGRES,
        };
        kept.get_or_init(|| self.write_article_rows_sql())
    }

    fn write_article_rows_sql(&self) -> String {
        let pictures = self.json_rows(
            "i.id, i.width, i.height",
            "story_images si JOIN images i ON i.id = si.image_id WHERE si.story_id = s.id",
        );
        let corrections = self.json_rows(
            "c.at, c.id, c.text, c.author",
            "corrections c WHERE c.story_id = s.id",
        );
        // The group's original: the story's own original if it translates one,
        // else the story itself if anything translates it.
        let original = "COALESCE(\
             (SELECT t.original_id FROM story_translations t WHERE t.translation_id = s.id), \
             (SELECT t.original_id FROM story_translations t WHERE t.original_id = s.id LIMIT 1))";
        let translations = self.json_values(
            "t2.translation_id",
            &format!("story_translations t2 WHERE t2.original_id = {original}"),
        );
        let promos = self.json_rows(
            "p.position, p.story_id, sec.edition_id",
            "promos p JOIN stories ps ON ps.id = p.story_id \
             JOIN sections sec ON sec.id = ps.section_id",
        );
        format!(
            "{story}{LIVE_COLUMNS}, {pictures} AS pictures_json, {corrections} AS corrections_json, \
             cs.mode AS comment_mode, cs.closed_at AS comment_closed_at, \
             cs.shown_count AS comment_shown_count, {original} AS translation_original, \
             {translations} AS translations_json, {promos} AS promos_json\
             {LIVE_JOIN} LEFT JOIN comment_settings cs ON cs.story_id = s.id WHERE s.id = $1",
            story = self.story_select(),
        )
    }
}

impl ArticleRow {
    /// The row in place (`inline_reads`), its columns in the statement's order.
    fn from_sqlite(row: &rusqlite::Row) -> rusqlite::Result<ArticleRow> {
        let c = &mut Columns::of(row);
        Ok(ArticleRow {
            story: StoryRow::from_sqlite(c)?,
            pictures_json: c.next("pictures_json")?,
            corrections_json: c.next("corrections_json")?,
            comment_mode: c.next("comment_mode")?,
            comment_closed_at: c.next("comment_closed_at")?,
            comment_shown_count: c.next("comment_shown_count")?,
            translation_original: c.next("translation_original")?,
            translations_json: c.next("translations_json")?,
            promos_json: c.next("promos_json")?,
        })
    }

    fn into_rows(self) -> Result<ArticleRows, StoreError> {
        let (story, live) = self.story.into_story()?;
        let pictures: Vec<(i64, i64, i64)> = decode(&self.pictures_json, "pictures")?;
        let corrections: Vec<(i64, i64, String, String)> =
            decode(&self.corrections_json, "corrections")?;
        let corrections = sorted(
            corrections
                .into_iter()
                .map(|(at, id, text, author)| ((at, id), Correction { at, text, author }))
                .collect(),
        );
        let comments = match self.comment_mode {
            Some(mode) => Settings {
                mode: Mode::parse(&mode)
                    .ok_or_else(|| StoreError::Corrupt(format!("comment mode {mode:?}")))?,
                closed_at: self.comment_closed_at,
                shown_count: self.comment_shown_count.unwrap_or(0),
            },
            None => Settings::OFF,
        };
        let translations = match self.translation_original {
            Some(original) => {
                let mut members: Vec<i64> = decode(&self.translations_json, "translations")?;
                members.sort_unstable();
                members.insert(0, original);
                Some(TranslationGroup { original, members })
            }
            None => None,
        };
        Ok(ArticleRows {
            story,
            live,
            picture_sizes: pictures
                .into_iter()
                .map(|(id, width, height)| (id, (width, height)))
                .collect(),
            corrections,
            comments,
            translations,
            promos: sorted(
                decode::<Vec<(i64, i64, i64)>>(&self.promos_json, "promos")?
                    .into_iter()
                    .map(|(position, story_id, edition_id)| {
                        let promo = PromoEdition {
                            story_id,
                            edition_id,
                        };
                        (position, promo)
                    })
                    .collect(),
            ),
        })
    }
}
