-- Issue 16: "Have your say": readers' comments on stories, their moderation, and
-- the per-story settings editors choose. Comments live on their own page
-- (`<article>/comments`) and never change the article page: the count the article
-- shows is a column refreshed in batches by the scheduler (`shown_count`), read
-- when the article is next rendered, so posting a comment purges only the
-- comments page (surrogate key `comments-<story id>`), never the article.

-- Comments on one story, switched on by an editor. A story without a row has
-- comments off. `mode` is 'pre' (a comment waits for a moderator before anyone
-- sees it) or 'post' (it shows at once and is moderated afterwards), or 'off'
-- (switched off again; the comments already there stay hidden). `closed_at`
-- set: no new comments, the published ones still shown. `shown_count` is the
-- number of published comments as of the scheduler's last refresh;
-- `count_stale` (0 or 1, compared with literals only) is set by every change
-- to what is published and cleared by the refresh.
CREATE TABLE comment_settings (
    story_id     INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    mode         TEXT    NOT NULL CHECK (mode IN ('off', 'pre', 'post')),
    closed_at    INTEGER,
    shown_count  INTEGER  NOT NULL DEFAULT 0,
    count_stale  INTEGER NOT NULL DEFAULT 0
);
-- The scheduler's refresh reads only the stale rows.
CREATE INDEX comment_settings_stale ON comment_settings (story_id) WHERE count_stale = 1;

-- Readers' comments, plain text as typed (cleaned, at most 2,000 characters).
-- A reply names its top-level comment in `parent_id` (one level deep: the
-- parent never has a parent itself, which the application checks). `status`:
-- 'pending' waits for a moderator, 'published' is shown, 'rejected' is never
-- shown again. `reported_at` is set when a reader reports a published comment
-- and cleared when a moderator keeps it, so the queue is the pending comments
-- and the reported ones. A comment goes with its reader, its story and its
-- parent (ON DELETE CASCADE).
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    story_id     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    reader_id    INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    body         TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER,
    reported_at  INTEGER
);
-- The comments page: one story's published top-level comments in time order, then their replies.
CREATE INDEX comments_on_story ON comments (story_id, status, parent_id, created_at, id);
CREATE INDEX comments_replies ON comments (parent_id, status, created_at) WHERE parent_id IS NOT NULL;
-- A reader's history in the newsroom, newest first.
CREATE INDEX comments_by_reader ON comments (reader_id, created_at);
-- The moderation queue: pending comments, and reported ones.
CREATE INDEX comments_pending ON comments (created_at) WHERE status = 'pending';
CREATE INDEX comments_reported ON comments (reported_at) WHERE reported_at IS NOT NULL;

-- Who reported which comment, once per reader, with what they said.
CREATE TABLE comment_reports (
    comment_id   INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id    INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    reason       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);
CREATE INDEX comment_reports_by_reader ON comment_reports (reader_id);
