-- Photos of damage on a return line, added by the customer (or at the desk) before the
-- return is inspected. Stored re-encoded as JPEG (no EXIF) in the database, so every
-- server behind a load balancer sees them. Kept in step with
-- migrations/postgres/0012_return_photos.sql.
CREATE TABLE return_photos (
    id           INTEGER PRIMARY KEY,
    return_id    BIGINT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    bytes        BLOB NOT NULL,
    uploaded_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at  TEXT NOT NULL,
    FOREIGN KEY (return_id, line_no) REFERENCES return_lines (return_id, line_no) ON DELETE CASCADE
);
CREATE INDEX return_photos_return ON return_photos (return_id, line_no);
