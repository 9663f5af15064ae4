-- Stories imported from legacy pages by `dateline import`. One row per imported
-- story; a re-import finds its story here and updates it instead of adding another.
CREATE TABLE story_imports (
    story_id        BIGINT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    -- SHA-256 of the canonical path of the file last imported: the same file finds the same story.
    path_key        TEXT    NOT NULL UNIQUE,
    -- SHA-256 of the headline and first-published time: the same page from another folder
    -- (a moved or copied archive) finds the same story too.
    content_key     TEXT    NOT NULL,
    -- SHA-256 of everything imported, so an unchanged re-import is skipped.
    fingerprint     TEXT    NOT NULL,
    -- The file as given on the command line, for people.
    source          TEXT    NOT NULL,
    -- The lead picture the page described but did not contain: kept as data, never invented.
    missing_image_alt     TEXT,
    missing_image_caption TEXT,
    imported_at     BIGINT  NOT NULL
);
CREATE INDEX story_imports_by_content ON story_imports (content_key);
