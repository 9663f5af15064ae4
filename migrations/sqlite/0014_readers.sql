-- Issue 16: reader accounts. Readers are not staff: their own table, sessions and
-- one-time links, and nothing here grants anything in the newsroom. A member of
-- staff may also be a reader, with a separate account (the same e-mail may be in both).
-- Everything a reader owns refers to `readers` with ON DELETE CASCADE, so deleting
-- the reader's row deletes all of it in the same statement; later tables (saved
-- stories, follows, comments) follow the same rule.

-- Reader accounts. The e-mail is stored normalised (trimmed, lowercased) and is
-- unique whatever its case. The password is an argon2id PHC string. An account
-- cannot sign in with its password until `verified_at` is set by the link mailed
-- at registration. `banned_at` and `ban_reason` are set by moderation;
-- `daily_email_hour` is the hour (0-23, the site's time zone) of the reader's
-- daily e-mail, NULL for none.
CREATE TABLE readers (
    id                INTEGER PRIMARY KEY,
    email             TEXT    NOT NULL,
    display_name      TEXT    NOT NULL,
    password_hash     TEXT    NOT NULL,
    verified_at       INTEGER,
    created_at        INTEGER NOT NULL,
    banned_at         INTEGER,
    ban_reason        TEXT    NOT NULL DEFAULT '',
    daily_email_hour  INTEGER CHECK (daily_email_hour BETWEEN 0 AND 23)
);
CREATE UNIQUE INDEX readers_by_email ON readers (lower(email));

-- Readers' server-side sessions, shared by every node. Only the SHA-256 of the
-- cookie's secret is kept, so a copy of the database cannot be used to sign in.
-- A session ends when idle too long (`last_seen_at`) or at `expires_at`, whichever
-- comes first.
CREATE TABLE reader_sessions (
    id_hash       TEXT    PRIMARY KEY,
    reader_id     INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    csrf_token    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX reader_sessions_by_reader ON reader_sessions (reader_id);

-- One-time links mailed to readers: verify an address, sign in without the
-- password, reset the password, confirm a new address (`new_email`). Only the
-- SHA-256 of the link's secret is kept. A link works once (`used_at` is set in
-- the statement that accepts it) and not after `expires_at`.
CREATE TABLE reader_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    reader_id   INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('verify', 'sign_in', 'reset', 'change_email')),
    new_email   TEXT,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX reader_tokens_by_reader ON reader_tokens (reader_id, purpose);
