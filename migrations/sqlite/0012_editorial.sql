-- Issue 14: one editorial transaction per newsroom action, one visibility rule.

-- Which node wrote a log row, as on PostgreSQL (migration 0009). SQLite has no
-- session settings, so the writing transaction stamps its own rows before it
-- commits (store::editorial); rows it did not stamp (another program, a trigger
-- fired outside Dateline) stay NULL and are followed by every node.
ALTER TABLE invalidations ADD COLUMN node TEXT;

-- Every picture a story's row shows (its lead picture and the pictures in its
-- body): a picture is public only while a public story shows it. Written with
-- the row's content, in the same transaction.
CREATE TABLE story_images (
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    image_id  INTEGER NOT NULL REFERENCES images(id),
    PRIMARY KEY (story_id, image_id)
);
CREATE INDEX story_images_by_image ON story_images (image_id);
-- Lead pictures here; pictures in bodies are filled in by `Store::migrate`, which
-- parses the markup.
INSERT INTO story_images (story_id, image_id)
SELECT id, lead_image_id FROM stories WHERE lead_image_id IS NOT NULL;

-- The scheduler looks every second for embargoes that have ended on published
-- stories; few stories carry one, so the index holds only those.
CREATE INDEX stories_embargoed ON stories (embargo_until) WHERE embargo_until IS NOT NULL;
