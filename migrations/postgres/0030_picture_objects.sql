-- Issue 20: pictures in object storage. With `media_store = "s3"` a rendition's
-- bytes live in the bucket under `renditions/{sha256}` (written once, named by
-- their content) and the row keeps only its facts and that hash, which is
-- checked on every read; `dateline media migrate` moves older pictures there
-- and clears their bytes here. So `data` may now be NULL, but only when the
-- row names its object by `sha256`. Rows written before this migration have
-- no hash until they are moved (the database backend does not need it).
-- SQLite's 0030 rebuilds both tables to the same shape.
ALTER TABLE image_renditions ALTER COLUMN data DROP NOT NULL;
-- Hex SHA-256 of the bytes: the object's name in object storage.
ALTER TABLE image_renditions ADD COLUMN sha256 TEXT;
ALTER TABLE image_renditions ADD CONSTRAINT image_renditions_bytes_somewhere
    CHECK (data IS NOT NULL OR sha256 IS NOT NULL);
ALTER TABLE image_alternates ALTER COLUMN data DROP NOT NULL;
ALTER TABLE image_alternates ADD COLUMN sha256 TEXT;
ALTER TABLE image_alternates ADD CONSTRAINT image_alternates_bytes_somewhere
    CHECK (data IS NOT NULL OR sha256 IS NOT NULL);
