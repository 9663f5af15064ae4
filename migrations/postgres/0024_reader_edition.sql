-- Issue 19: each reader has an edition, whose language their e-mails are
-- written in (verification and sign-in links, notices, the daily e-mail) and
-- whose pages those e-mails link to. Set at registration from the edition of
-- the page the reader registered on; the reader changes it on the account page.
-- Existing readers registered on the English site, so they get edition 1.
ALTER TABLE readers ADD COLUMN edition_id BIGINT NOT NULL DEFAULT 1 REFERENCES editions(id);
