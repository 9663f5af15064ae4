-- Issue 16: outgoing mail (src/mail). Every message Dateline sends is written
-- here first, so none is lost when the mail server is down.

-- One row per message. Without SMTP settings a message is only kept here
-- (status 'held': `dateline outbox` lists it with its links, so every flow works
-- with no set-up). With SMTP it is 'queued', then 'sent', or retried with a
-- growing delay until it is sent or, after a permanent refusal or too many
-- tries, 'failed'. Once sent or failed, its body and extra headers (which hold
-- one-time links and unsubscribe tokens) are blanked: the row stays as a record.
-- Rows are deleted 30 days after they were written.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    -- What the message is for: 'verify', 'sign-in-link', 'reset', 'daily', …
    kind            TEXT    NOT NULL,
    -- The one recipient's address, as checked by src/mail.
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    -- Plain text.
    body            TEXT    NOT NULL,
    -- Extra headers (List-Unsubscribe, …) as a JSON array of [name, value] pairs.
    headers         TEXT    NOT NULL DEFAULT '[]',
    -- Kept from the first attempt on, so a retried message is recognised as the same one.
    message_id      TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('held', 'queued', 'sent', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    -- The mail server's answer to the last failed attempt.
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    -- When a queued message may next be tried; an attempt under way holds it off
    -- for a lease, so two nodes never send it at once.
    next_attempt_at BIGINT,
    sent_at         BIGINT
);
-- The retry loop reads only queued messages that are due.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'queued';
-- `dateline outbox --to ADDRESS`, and tests reading a reader's latest message.
CREATE INDEX outbox_by_recipient ON outbox (lower(recipient), id);
-- Pruning by age.
CREATE INDEX outbox_by_time ON outbox (created_at);
