-- "Download my data" (issue #19): a customer's export, built in the background, kept as
-- parts of a ZIP for seven days, downloadable only by the user who asked. Kept in step
-- with migrations/postgres/0019_data_exports.sql.
CREATE TABLE data_exports (
    id           INTEGER PRIMARY KEY,
    -- random; names the export in links
    code         TEXT NOT NULL UNIQUE,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    -- the user who asked: the only one who may download it
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    language     TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    status       TEXT NOT NULL CHECK (status IN ('queued', 'building', 'ready', 'failed', 'expired')),
    steps_done   INTEGER NOT NULL DEFAULT 0,
    steps_total  INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    -- a worker that claimed the export holds it until then
    locked_until TEXT,
    claim_token  TEXT,
    last_error   TEXT,
    parts        INTEGER NOT NULL DEFAULT 0,
    size_bytes   BIGINT,
    requested_at TEXT NOT NULL,
    ready_at     TEXT,
    expires_at   TEXT
);
-- One export at a time per customer: asking again while one is being built finds it.
CREATE UNIQUE INDEX data_exports_one_at_a_time ON data_exports (customer_id)
    WHERE status IN ('queued', 'building');
CREATE INDEX data_exports_due ON data_exports (status, id);

-- The ZIP in parts of at most 256 KiB, so a download streams and any server process can
-- serve it.
CREATE TABLE data_export_parts (
    export_id BIGINT NOT NULL REFERENCES data_exports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    bytes     BLOB NOT NULL,
    PRIMARY KEY (export_id, seq)
);

-- Every download, for the record.
CREATE TABLE data_export_downloads (
    id            INTEGER PRIMARY KEY,
    export_id     BIGINT NOT NULL REFERENCES data_exports (id) ON DELETE CASCADE,
    user_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    ip            TEXT,
    user_agent    TEXT,
    downloaded_at TEXT NOT NULL
);
CREATE INDEX data_export_downloads_export ON data_export_downloads (export_id);
