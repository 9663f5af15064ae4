-- Issue 16: what readers follow, the private feed of it, and the daily e-mail.
-- Everything here belongs to one reader and refers to `readers` ON DELETE CASCADE,
-- so deleting the reader deletes it in the same statement (as 0014 promised).

-- Sections and regions a reader follows (a region is a section with `is_region`).
-- Following a section takes in its sub-sections, as its front does. A section
-- that is removed takes its follows with it.
CREATE TABLE reader_followed_sections (
    reader_id   INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (reader_id, section_id)
);

-- Topics a reader follows. Stories have no tags or keywords, so a topic is a
-- search: words, "phrases" and -exclusions in the search box's language
-- (domain::search_query), run through the public search. Stored as typed
-- (cleaned); one reader cannot follow the same topic twice, whatever its case.
CREATE TABLE reader_topics (
    id          INTEGER PRIMARY KEY,
    reader_id   INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    topic       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX reader_topics_once ON reader_topics (reader_id, lower(topic));

-- The private Atom feed of a reader's "My news": at most one address per reader,
-- whose secret only the reader was shown. Only its SHA-256 is kept; revoking
-- deletes the row, renewing replaces it, and the old address then answers 404.
CREATE TABLE reader_feed_tokens (
    reader_id   INTEGER PRIMARY KEY REFERENCES readers(id) ON DELETE CASCADE,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

-- The daily e-mail. Its hour is `readers.daily_email_hour` (0014); this is the
-- last day, in the site's time zone and written as yyyymmdd (20261205), whose
-- e-mail was claimed: sent, or skipped for having nothing new. The scheduler of
-- every node claims a reader with one UPDATE … WHERE last_daily_on < today …
-- RETURNING, so exactly one node takes each reader's day.
ALTER TABLE readers ADD COLUMN last_daily_on INTEGER;
CREATE INDEX readers_daily ON readers (daily_email_hour, last_daily_on)
    WHERE daily_email_hour IS NOT NULL;

-- One-click unsubscribe links (RFC 8058), one per daily e-mail sent; only their
-- SHA-256 is kept. A link works as long as its row is kept (90 days): using it
-- again changes nothing, so it need not work only once.
CREATE TABLE reader_unsubscribe_tokens (
    token_hash  TEXT    PRIMARY KEY,
    reader_id   INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL
);
CREATE INDEX reader_unsubscribe_tokens_by_reader ON reader_unsubscribe_tokens (reader_id, created_at);
