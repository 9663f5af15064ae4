-- Issue 20: modern picture formats. Each JPEG rendition (image_renditions,
-- untouched) may have the same picture at the same standard width in another
-- format, WebP today, sent to browsers whose Accept header asks for it
-- (web::images, with "Vary: Accept"); the others get the JPEG. Alternates are
-- made with the JPEG at upload and demo load; `dateline migrate` makes
-- the missing ones of older pictures from their JPEG. The bytes never change
-- under a key, so (picture, width, format) is the ETag. Deleting a rendition
-- (or its picture) deletes its alternates.
CREATE TABLE image_alternates (
    image_id     INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    -- The format as its media type ('image/webp'), sent as Content-Type.
    content_type TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    PRIMARY KEY (image_id, width, content_type),
    FOREIGN KEY (image_id, width) REFERENCES image_renditions (image_id, width) ON DELETE CASCADE
);
