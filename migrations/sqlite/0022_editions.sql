-- Issue 19: editions in several languages, and stories linked across them.
--
-- Rebuilds `sections` (SQLite cannot drop the column constraint UNIQUE(slug)).
-- That needs foreign keys off, or dropping the old table would cascade to
-- readers' followed sections: `Store::migrate` runs SQLite's migrations on a
-- connection with foreign keys off and checks them all afterwards.

-- One row per edition. Edition 1 is the English edition at "/", whose site name
-- and time zone are the site's settings (NULL here); other editions name theirs.
-- `prefix` is "" for the root edition, "/arabic" for one under /arabic.
-- `search_config` is the PostgreSQL text search configuration (unused here:
-- FTS5's unicode61 tokeniser finds exact words in every script).
CREATE TABLE editions (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,
    language      TEXT    NOT NULL,
    direction     TEXT    NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    name          TEXT    NOT NULL,
    english_name  TEXT    NOT NULL,
    prefix        TEXT    NOT NULL UNIQUE,
    time_zone     TEXT,
    site_name     TEXT,
    locale        TEXT    NOT NULL,
    search_config TEXT    NOT NULL DEFAULT 'simple',
    position      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO editions (id, key, language, direction, name, english_name, prefix, locale, search_config, position)
VALUES (1, 'english', 'en-GB', 'ltr', 'English', 'English', '', 'en-GB', 'english', 0);

-- Sections belong to an edition; a slug is unique within its edition.
CREATE TABLE sections_by_edition (
    id          INTEGER PRIMARY KEY,
    edition_id  INTEGER NOT NULL DEFAULT 1 REFERENCES editions(id),
    slug        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    parent_id   INTEGER REFERENCES sections(id),
    position    INTEGER NOT NULL DEFAULT 0,
    is_region   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (edition_id, slug)
);
INSERT INTO sections_by_edition (id, edition_id, slug, name, parent_id, position, is_region)
SELECT id, 1, slug, name, parent_id, position, is_region FROM sections;
DROP TABLE sections;
ALTER TABLE sections_by_edition RENAME TO sections;

-- A story's versions in other editions: each translation names the story it
-- translates (the original, which is no one's translation). The group of
-- versions is the original and every row naming it; at most one per edition
-- (checked by the editorial service, which knows each story's edition).
CREATE TABLE story_translations (
    translation_id INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    original_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    CHECK (translation_id <> original_id)
);
CREATE INDEX story_translations_by_original ON story_translations (original_id);

-- The editions a member of staff may work in; none listed means every edition.
CREATE TABLE staff_editions (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, edition_id)
);
