//! The article page as the public site and the newsroom's preview both render it,
//! and the record caches that keep public articles and the promos built.

use askama::Template;
use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::comment::Settings;
use crate::domain::markup;
use crate::domain::story::Story;
use crate::store::{Correction, LiveHead, PromoEdition, StorySummary};
use crate::web::comments_page::comments_href;
use crate::web::invalidation::keys;
use crate::web::live_page::LiveView;
use crate::web::reader_pages::Visitor;
use crate::web::record_cache::RecordCache;
use crate::web::sponsor_book::SponsorView;
use crate::web::translations::{self, Translations};
use crate::web::views::{ArticleView, Chrome, CommentsLink, StoryItem};
use crate::web::{html, AppState, WebError};

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticleTemplate<'a> {
    pub chrome: std::sync::Arc<Chrome>,
    pub a: &'a ArticleView,
    pub promos: Vec<&'a StoryItem>,
    /// "Save for later" (or "Saved"), for a signed-in reader only.
    pub save: Option<SaveButton>,
    /// The posts and the rest of a live page; `None` for an ordinary story.
    pub live: Option<&'a LiveView>,
    /// Always false: the print view (`_story_core.html` is shared) leaves out what only a screen needs.
    pub print: bool,
    /// The story's public versions in other editions (`_translations.html`).
    pub translations: &'a Translations,
    /// The sponsor slot: `None` when editors switched it off, or the story is not public.
    pub sponsor: Option<SponsorSlot>,
}

/// The sponsor slot as the page shows it: labelled, with the campaign chosen, if any.
pub struct SponsorSlot {
    pub campaign: Option<SponsorView>,
}

impl ArticleTemplate<'_> {
    /// A page that follows a running live page keeps the banner's place even
    /// while none runs, for the script to fill.
    fn banner_slot(&self) -> bool {
        self.live.is_some_and(|l| l.follows)
    }
}

/// A signed-in reader's "Save for later" form on an article: both forms post the
/// story's id with the session's CSRF token.
pub struct SaveButton {
    pub story_id: i64,
    pub saved: bool,
    pub csrf: String,
}

/// A public story with its page built, as kept in the record cache.
pub struct PublicArticle {
    pub story: Story,
    pub view: ArticleView,
    /// The story's own key and those of the related stories and versions it shows.
    pub keys: Vec<String>,
    /// Its public versions in other editions.
    pub translations: Translations,
    /// A live page's state and its newest posts; `None` for an ordinary story.
    pub live: Option<LiveArticle>,
}

/// A live page as its article record keeps it: every change to a post drops
/// the record with the story's key.
pub struct LiveArticle {
    pub head: LiveHead,
    /// The newest posts, as the article shows them.
    pub view: LiveView,
}

/// The site-wide promos of one edition, as its articles show them.
pub struct Promos {
    /// Each of the edition's public promos: its story id and list item.
    items: Vec<(i64, StoryItem)>,
    /// Every configured promo of every edition, public or not, so publishing
    /// one, or moving it to another edition, refreshes the list.
    keys: Vec<String>,
}

/// The public site's record caches.
pub struct Records {
    pub articles: RecordCache<PublicArticle>,
    /// By edition id.
    pub promos: RecordCache<Promos>,
}

/// Stories kept built: enough for every story of the last weeks of a busy site.
const ARTICLE_RECORDS: usize = 20_000;

impl Records {
    pub fn new(enabled: bool) -> Records {
        Records {
            articles: RecordCache::new(enabled, ARTICLE_RECORDS),
            // One per edition: a few dozen at most.
            promos: RecordCache::new(enabled, 256),
        }
    }

    /// Drops every record built from any of `keys`.
    pub fn invalidate(&self, keys: &[String]) {
        self.articles.invalidate(keys);
        self.promos.invalidate(keys);
    }

    pub fn clear(&self) {
        self.articles.clear();
        self.promos.clear();
    }
}

impl Promos {
    /// The promos of `edition` among all `promos` (in order), those public
    /// being the stories in `public`.
    pub fn new(
        state: &AppState,
        edition: i64,
        promos: &[PromoEdition],
        public: &HashMap<i64, &StorySummary>,
    ) -> Promos {
        let items = promos
            .iter()
            .filter(|p| p.edition_id == edition)
            .filter_map(|p| {
                let item = StoryItem::new(state, public.get(&p.story_id)?, false)?;
                Some((p.story_id, item))
            })
            .collect();
        let keys = std::iter::once(keys::PROMOS.to_string())
            .chain(promos.iter().map(|p| keys::story(p.story_id)))
            .collect();
        Promos { items, keys }
    }

    /// The story ids of `edition`'s promos among `promos`: those a page of
    /// that edition reads.
    pub fn ids_in(edition: i64, promos: &[PromoEdition]) -> impl Iterator<Item = i64> + '_ {
        promos
            .iter()
            .filter(move |p| p.edition_id == edition)
            .map(|p| p.story_id)
    }
}

/// The promos of `edition`, from the record cache or the database.
pub async fn promos(state: &AppState, edition: i64) -> Result<Arc<Promos>, WebError> {
    if let Some(promos) = state.records.promos.get(&edition) {
        return Ok(promos);
    }
    let generation = state.records.promos.generation();
    let all = state.store.promo_editions().await?;
    let ids: Vec<i64> = Promos::ids_in(edition, &all).collect();
    let summaries = state.store.published_summaries(&ids, state.now()).await?;
    let public = summaries.iter().map(|s| (s.id, s)).collect();
    Ok(keep_promos(
        state,
        edition,
        Promos::new(state, edition, &all, &public),
        generation,
    ))
}

/// Keeps `edition`'s `promos`, read since the promos records' `generation`, in the record cache.
pub fn keep_promos(state: &AppState, edition: i64, promos: Promos, generation: u64) -> Arc<Promos> {
    let promos = Arc::new(promos);
    let records = &state.records.promos;
    records.insert(
        edition,
        Arc::clone(&promos),
        promos.keys.clone(),
        generation,
    );
    promos
}

/// What an article view is built from besides its story.
pub struct ArticleParts {
    /// The original size of each stored picture the story shows, by id.
    pub picture_sizes: HashMap<i64, (i64, i64)>,
    /// The related stories the public may see, in order.
    pub related: Vec<StorySummary>,
    pub corrections: Vec<Correction>,
    pub comments: Settings,
}

/// Builds the article view of `story` as it stands, reading its parts (the
/// newsroom's preview, whose text may not be the one its row holds).
pub async fn article_view(state: &AppState, story: &Story) -> Result<ArticleView, WebError> {
    let parts = ArticleParts {
        picture_sizes: state
            .store
            .image_sizes(&story.content.picture_ids())
            .await?,
        related: state
            .store
            .published_summaries(&story.content.related, state.now())
            .await?,
        corrections: state.store.corrections(story.id).await?,
        comments: state.store.comment_settings(story.id).await?,
    };
    build_view(state, story, parts)
}

/// The article view of `story` from its `parts`.
pub fn build_view(
    state: &AppState,
    story: &Story,
    parts: ArticleParts,
) -> Result<ArticleView, WebError> {
    let body = markup::parse_for_display(&story.content.body);
    let image_size = story
        .content
        .lead_image
        .as_ref()
        .and_then(|lead| parts.picture_sizes.get(&lead.image_id).copied());
    let pictures = html::PictureSizes::new(parts.picture_sizes);
    let related = StoryItem::list(state, &parts.related, false);
    let comments = parts.comments;
    let mut view = ArticleView::new(
        state,
        story,
        &body,
        &pictures,
        image_size,
        related,
        &parts.corrections,
    )
    .ok_or_else(|| {
        WebError::Internal(anyhow::anyhow!("story {} has an unknown section", story.id))
    })?;
    view.comments = comments_href(state, story)
        .filter(|_| comments.is_on())
        .map(|href| CommentsLink {
            href,
            count: comments.shown_count,
            open: comments.is_open(),
        });
    Ok(view)
}

/// The edition `story` belongs to.
pub fn edition_of(state: &AppState, story: &Story) -> Result<i64, WebError> {
    state
        .sections
        .by_id(story.content.section_id)
        .map(|s| s.edition_id)
        .ok_or_else(|| {
            WebError::Internal(anyhow::anyhow!("story {} has an unknown section", story.id))
        })
}

/// The full article page: `view` of `story` with its edition's `promos` and its
/// `translations`, for `visitor`, and the surrogate keys of every story it shows.
pub fn render_page(
    state: &AppState,
    story: &Story,
    view: &ArticleView,
    live: Option<&LiveView>,
    translations: &Translations,
    promos: &Promos,
    visitor: &Visitor,
) -> Result<(String, Vec<String>), WebError> {
    let mut surrogate_keys = vec![keys::story(story.id)];
    surrogate_keys.extend(story.content.related.iter().map(|id| keys::story(*id)));
    surrogate_keys.extend(translations.keys.iter().cloned());
    surrogate_keys.extend(promos.keys.iter().cloned());
    // Chosen from this node's copy of the campaigns: no query (`sponsor_book`).
    surrogate_keys.push(keys::SPONSORS.to_string());
    let now = state.now();
    let sponsor =
        (story.is_public(now) && !state.sponsors.slot_off(story.id)).then(|| SponsorSlot {
            campaign: state.sponsors.slot(&state.sections, story, now, false),
        });
    let page = ArticleTemplate {
        chrome: Chrome::for_visitor(
            Chrome::for_section(state, story.content.section_id),
            visitor,
        ),
        a: view,
        promos: promos
            .items
            .iter()
            .filter(|(id, _)| *id != story.id)
            .map(|(_, item)| item)
            .collect(),
        save: visitor.reader().map(|reader| SaveButton {
            story_id: story.id,
            saved: reader.has_saved(story.id),
            csrf: reader.csrf.clone(),
        }),
        live,
        print: false,
        translations,
        sponsor,
    };
    Ok((page.render()?, surrogate_keys))
}

/// The article page for `story` as it stands, never from the record cache (the newsroom's preview).
pub async fn render_article(
    state: &AppState,
    story: &Story,
) -> Result<(String, Vec<String>), WebError> {
    let view = article_view(state, story).await?;
    let translations = translations::of_story(state, story.id).await?;
    let promos = promos(state, edition_of(state, story)?).await?;
    render_page(
        state,
        story,
        &view,
        None,
        &translations,
        &promos,
        &Visitor::default(),
    )
}
