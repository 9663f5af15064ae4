-- Dateline content schema, SQLite dialect. Times are Unix seconds (UTC) in
-- INTEGER columns so both databases store and compare them the same way.

-- Sections form a hierarchy (World → Europe…). Regions feed the regional navigation.
CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    parent_id   INTEGER REFERENCES sections(id),
    position    INTEGER NOT NULL DEFAULT 0,
    is_region   INTEGER NOT NULL DEFAULT 0
);

-- Pictures live in the database so that every node serves the same bytes.
-- One row per uploaded picture; its encoded sizes are in image_renditions.
CREATE TABLE images (
    id          INTEGER PRIMARY KEY,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Each picture re-encoded at a few widths, served with srcset.
CREATE TABLE image_renditions (
    image_id     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    PRIMARY KEY (image_id, width)
);

-- The current state of every story. The text columns mirror the newest
-- revision, so public pages read one row.
CREATE TABLE stories (
    id                  INTEGER PRIMARY KEY,
    slug                TEXT    NOT NULL,
    section_id          INTEGER NOT NULL REFERENCES sections(id),
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'killed')),
    headline            TEXT    NOT NULL,
    promo_headline      TEXT    NOT NULL DEFAULT '',
    summary             TEXT    NOT NULL DEFAULT '',
    byline              TEXT    NOT NULL DEFAULT '',
    body                TEXT    NOT NULL,
    lead_image_id       INTEGER REFERENCES images(id),
    lead_image_alt      TEXT    NOT NULL DEFAULT '',
    lead_image_caption  TEXT    NOT NULL DEFAULT '',
    lead_image_credit   TEXT    NOT NULL DEFAULT '',
    first_published_at  INTEGER,
    last_updated_at     INTEGER,
    created_at          INTEGER NOT NULL,
    modified_at         INTEGER NOT NULL,
    revision            INTEGER NOT NULL DEFAULT 1
);
-- Fronts list a section's newest published stories.
CREATE INDEX stories_by_section ON stories (section_id, status, last_updated_at DESC);
CREATE INDEX stories_by_update ON stories (status, last_updated_at DESC);

-- Every saved version of a story, whole, as JSON (the domain's StoryContent).
CREATE TABLE story_revisions (
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    author      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    content     TEXT    NOT NULL,
    PRIMARY KEY (story_id, number)
);

-- Editor-chosen related stories, in order.
CREATE TABLE story_related (
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    related_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, position)
);

-- Related links to other web sites, in order.
CREATE TABLE story_links (
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    PRIMARY KEY (story_id, position)
);

-- Site-wide promos shown at the foot of article pages, in order.
CREATE TABLE promos (
    position    INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE
);

-- The standard sections: World and its six regions, then the home sections.
INSERT INTO sections (slug, name, parent_id, position, is_region) VALUES
    ('world', 'World', NULL, 10, 0),
    ('uk', 'UK', NULL, 20, 0),
    ('business', 'Business', NULL, 30, 0),
    ('science', 'Science & Environment', NULL, 40, 0),
    ('technology', 'Technology', NULL, 50, 0),
    ('health', 'Health', NULL, 60, 0);
INSERT INTO sections (slug, name, parent_id, position, is_region)
SELECT r.slug, r.name, w.id, r.position, 1
FROM (SELECT 'americas' AS slug, 'Americas' AS name, 11 AS position
      UNION ALL SELECT 'africa', 'Africa', 12
      UNION ALL SELECT 'europe', 'Europe', 13
      UNION ALL SELECT 'middle-east', 'Middle East', 14
      UNION ALL SELECT 'south-asia', 'South Asia', 15
      UNION ALL SELECT 'asia-pacific', 'Asia Pacific', 16) AS r,
     (SELECT id FROM sections WHERE slug = 'world') AS w;
