-- The newsroom: staff, sessions, workflow state, corrections, curation, audit.

-- Staff accounts. Emails are stored lowercased; passwords as argon2id PHC strings.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT    NOT NULL UNIQUE,
    display_name         TEXT    NOT NULL,
    role                 TEXT    NOT NULL CHECK (role IN ('reporter', 'editor', 'admin')),
    password_hash        TEXT    NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL
);

-- Server-side sessions, shared by every node. Only a hash of the cookie's
-- secret is kept, so a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
    id_hash       TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins, counted per account and per address to slow down guessing.
CREATE TABLE sign_in_failures (
    id       INTEGER PRIMARY KEY,
    email    TEXT    NOT NULL,
    address  TEXT    NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

-- Every workflow action and account change: who, when, what, to what.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC);

-- Workflow state beside the status: who owns a story, when it was submitted
-- for review, when it is due to go live, and the embargo before which it may not.
-- live_revision is the revision the public sees; later revisions are unpublished edits.
ALTER TABLE stories ADD COLUMN owner_id INTEGER REFERENCES users(id);
ALTER TABLE stories ADD COLUMN submitted_at INTEGER;
ALTER TABLE stories ADD COLUMN scheduled_for INTEGER;
ALTER TABLE stories ADD COLUMN embargo_until INTEGER;
ALTER TABLE stories ADD COLUMN live_revision INTEGER;
CREATE INDEX stories_due ON stories (scheduled_for);

-- Which revisions went public (the public history shows only these).
ALTER TABLE story_revisions ADD COLUMN published INTEGER NOT NULL DEFAULT 0;

-- Dated correction notes shown on the public article.
CREATE TABLE corrections (
    id        INTEGER PRIMARY KEY,
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    text      TEXT    NOT NULL,
    author    TEXT    NOT NULL
);
CREATE INDEX corrections_by_story ON corrections (story_id, at);

-- Editor-chosen order of stories on the front page ('home') and section fronts (the section's slug).
CREATE TABLE front_placements (
    front     TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (front, position)
);

-- Who has a story open in the editor, for the soft lock.
CREATE TABLE story_presence (
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    since     INTEGER NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (story_id, user_id)
);

-- Stories loaded before this migration are live at their current revision.
UPDATE stories SET live_revision = revision WHERE status = 'published';
UPDATE story_revisions SET published = 1
WHERE action IN ('publish', 'update')
  AND story_id IN (SELECT id FROM stories WHERE status = 'published');
