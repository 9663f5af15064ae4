-- Issue 17: live pages. A story can be a live page: a running list of short,
-- timestamped posts under its usual headline, summary and lead picture. Every
-- change to what the public sees of one logs the story's key (`story-<id>`)
-- from a trigger, inside the change's transaction, so every node purges the
-- page (0009's rule); the log row's id is also what a reader's stream catches
-- up from.

-- A story that is (or was) a live page. `ended_at` NULL: running; set: ended,
-- kept as an archive with the editor's closing `summary`. A story without a row
-- is not a live page. Goes with its story.
CREATE TABLE live_pages (
    story_id    INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    summary     TEXT    NOT NULL DEFAULT ''
);

-- One post on a live page: body markup (the story body's rules, at most 5,000
-- characters), an optional stored picture with its alt text ('' without one),
-- an optional byline (''), and a pinned flag (a key point; 0 or 1, compared
-- with literals only). `published_at` NULL: written by a reporter, waiting for
-- an editor. `deleted_at` set: removed by an editor (kept for the audit trail,
-- never shown). `seq` is the post's place in publication order on its page,
-- set when it is published (a waiting post has a lower id than posts published
-- before it): readers' streams and the API's `since` resume after a `seq`.
-- `author_id` is the member of staff who wrote it (NULL once the
-- account is gone, or for the command line).
CREATE TABLE live_posts (
    id            INTEGER PRIMARY KEY,
    story_id      INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    body          TEXT    NOT NULL,
    image_id      INTEGER REFERENCES images(id),
    image_alt     TEXT    NOT NULL DEFAULT '',
    byline        TEXT    NOT NULL DEFAULT '',
    pinned        INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    published_at  INTEGER,
    seq           INTEGER,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    author_id     INTEGER REFERENCES users(id) ON DELETE SET NULL
);
-- The newsroom's list of a page's posts; the public's, newest first, and the
-- posts after a reader's last one.
CREATE INDEX live_posts_on_story ON live_posts (story_id, id);
CREATE UNIQUE INDEX live_posts_in_order ON live_posts (story_id, seq) WHERE seq IS NOT NULL;

-- A post published, changed, pinned or removed, or a published one changed, on
-- a published story: the live page changed in the public's eyes. A reporter's
-- waiting post changes nothing public.
CREATE TRIGGER live_posts_log_insert AFTER INSERT ON live_posts
WHEN NEW.published_at IS NOT NULL
 AND (SELECT status FROM stories WHERE id = NEW.story_id) = 'published'
BEGIN
    INSERT INTO invalidations (keys, at) VALUES ('story-' || NEW.story_id, unixepoch());
END;
CREATE TRIGGER live_posts_log_update AFTER UPDATE ON live_posts
WHEN (OLD.published_at IS NOT NULL OR NEW.published_at IS NOT NULL)
 AND (SELECT status FROM stories WHERE id = NEW.story_id) = 'published'
BEGIN
    INSERT INTO invalidations (keys, at) VALUES ('story-' || NEW.story_id, unixepoch());
END;

-- A live page started or ended on a published story: the page, and the lists
-- that mark a story as live, changed.
CREATE TRIGGER live_pages_log_insert AFTER INSERT ON live_pages
WHEN (SELECT status FROM stories WHERE id = NEW.story_id) = 'published'
BEGIN
    INSERT INTO invalidations (keys, at)
    SELECT 'story-' || id || ' lists lists-' || section_id, unixepoch()
    FROM stories WHERE id = NEW.story_id;
END;
CREATE TRIGGER live_pages_log_update AFTER UPDATE ON live_pages
WHEN (SELECT status FROM stories WHERE id = NEW.story_id) = 'published'
BEGIN
    INSERT INTO invalidations (keys, at)
    SELECT 'story-' || id || ' lists lists-' || section_id, unixepoch()
    FROM stories WHERE id = NEW.story_id;
END;
