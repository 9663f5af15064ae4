-- Issue 17: every change to a live post, kept; and the breaking-news banner.

-- One row per change to a post (written, published, edited, deleted, pinned,
-- unpinned) and per end of a live page, holding the post as it stood after the
-- change: the post's revision history, the live page's public history (rows
-- with `public` = 1: the post was published when it changed), and what readers'
-- streams send. `id` is the stream's event id (SSE `Last-Event-ID`): changes to
-- one story are written under that story's row lock (store::live), so on each
-- story ids grow in commit order and a reader resuming after an id misses
-- nothing. `kind` is one of write, publish, edit, delete, pin, unpin, end;
-- `post_id` is NULL for end; `published_at` is the post's, for its time. `actor` is the name the audit log records.
CREATE TABLE live_post_changes (
    id          INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    post_id     INTEGER REFERENCES live_posts(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    body        TEXT    NOT NULL DEFAULT '',
    image_id    INTEGER REFERENCES images(id),
    image_alt   TEXT    NOT NULL DEFAULT '',
    byline      TEXT    NOT NULL DEFAULT '',
    pinned      INTEGER NOT NULL DEFAULT 0,
    seq         INTEGER,
    published_at INTEGER,
    public      INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL
);
CREATE INDEX live_post_changes_on_story ON live_post_changes (story_id, id);
CREATE INDEX live_post_changes_on_post ON live_post_changes (post_id, id);

-- The breaking-news banner: one line and a link, shown on every public page
-- while a row has `cleared_at` NULL (the newest such row wins). Each banner set
-- is a row, so the record of what ran and who set and removed it is kept.
-- Setting or removing one logs the key `chrome`, which every cached public page
-- carries (web::cache).
CREATE TABLE breaking_news (
    id          INTEGER PRIMARY KEY,
    text        TEXT    NOT NULL,
    link        TEXT    NOT NULL,
    set_at      INTEGER NOT NULL,
    set_by      TEXT    NOT NULL,
    cleared_at  INTEGER,
    cleared_by  TEXT
);
CREATE INDEX breaking_news_running ON breaking_news (id) WHERE cleared_at IS NULL;

-- Pictures of live posts are public while a published post of a public story
-- shows them (store::images::public_stories_showing).
CREATE INDEX live_posts_by_image ON live_posts (image_id) WHERE image_id IS NOT NULL;
