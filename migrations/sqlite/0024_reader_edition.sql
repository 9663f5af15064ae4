-- Issue 19: each reader has an edition, whose language their e-mails are
-- written in (verification and sign-in links, notices, the daily e-mail) and
-- whose pages those e-mails link to. Set at registration from the edition of
-- the page the reader registered on; the reader changes it on the account page.
-- Existing readers registered on the English site, so they get edition 1.
--
-- SQLite adds a column with REFERENCES and a non-NULL default only with foreign
-- keys off, which is how `Store::migrate` runs SQLite's migrations.
ALTER TABLE readers ADD COLUMN edition_id INTEGER NOT NULL DEFAULT 1 REFERENCES editions(id);
