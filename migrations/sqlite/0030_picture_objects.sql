-- Issue 20: pictures in object storage. With `media_store = "s3"` a rendition's
-- bytes live in the bucket under `renditions/{sha256}` (written once, named by
-- their content) and the row keeps only its facts and that hash, which is
-- checked on every read; `dateline media migrate` moves older pictures there
-- and clears their bytes here. So `data` may now be NULL, but only when the
-- row names its object by `sha256`. Rows written before this migration have
-- no hash until they are moved (the database backend does not need it).
-- SQLite cannot drop a NOT NULL constraint: both tables are rebuilt (with
-- foreign keys off, store::migrate_sqlite), alternates first, as they refer to
-- the renditions. PostgreSQL's 0030 alters the same columns in place.
CREATE TABLE image_renditions_new (
    image_id     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    data         BLOB,
    -- Hex SHA-256 of the bytes: the object's name in object storage.
    sha256       TEXT,
    PRIMARY KEY (image_id, width),
    CHECK (data IS NOT NULL OR sha256 IS NOT NULL)
);
INSERT INTO image_renditions_new (image_id, width, height, content_type, data)
SELECT image_id, width, height, content_type, data FROM image_renditions;

CREATE TABLE image_alternates_new (
    image_id     INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    data         BLOB,
    sha256       TEXT,
    PRIMARY KEY (image_id, width, content_type),
    FOREIGN KEY (image_id, width) REFERENCES image_renditions (image_id, width) ON DELETE CASCADE,
    CHECK (data IS NOT NULL OR sha256 IS NOT NULL)
);
INSERT INTO image_alternates_new (image_id, width, content_type, data)
SELECT image_id, width, content_type, data FROM image_alternates;

DROP TABLE image_alternates;
DROP TABLE image_renditions;
ALTER TABLE image_renditions_new RENAME TO image_renditions;
ALTER TABLE image_alternates_new RENAME TO image_alternates;
