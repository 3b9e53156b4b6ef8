-- Messages seen, by content hash, with the outcome that decided where the message was filed.
CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    content_hash   BLOB    NOT NULL UNIQUE,  -- SHA-256 of the raw message (line ends normalised)
    outcome        TEXT    NOT NULL,         -- combined outcome of its items
    reason         TEXT,                     -- first reason among rejected items
    reports        INTEGER NOT NULL,         -- reports found in it
    size_bytes     INTEGER NOT NULL,
    first_seen_at  TEXT    NOT NULL,         -- UTC
    last_seen_at   TEXT    NOT NULL,         -- UTC
    times_seen     INTEGER NOT NULL DEFAULT 1
);

-- One row per report found in a message (or one for a message without report), with its outcome.
CREATE TABLE message_items (
    message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    source      TEXT    NOT NULL,  -- where in the message: "attachment playsql-report.json", "text block 1", "message"
    outcome     TEXT    NOT NULL,
    reason      TEXT,
    PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;

-- Accepted install and monthly reports: only the fields the contract allows us to keep.
CREATE TABLE reports (
    id                        INTEGER PRIMARY KEY,
    report_key                TEXT    NOT NULL UNIQUE,  -- identity: "id:<uuid>" or "fallback:<server>/<kind>/<period or instant>"
    report_id                 TEXT,                     -- the sender's UUID, when sent
    server_id                 TEXT    NOT NULL,
    kind                      TEXT    NOT NULL CHECK (kind IN ('install', 'monthly')),
    format_version            INTEGER NOT NULL,
    generated_at              TEXT    NOT NULL,         -- UTC, yyyy-MM-ddTHH:mm:ss.fffZ
    generated_offset_minutes  INTEGER NOT NULL,         -- the sender's own UTC offset
    period_start              TEXT,
    period_end                TEXT,
    confluence_version        TEXT,
    confluence_edition        TEXT,
    cluster_nodes             INTEGER,
    user_count                INTEGER,
    confluence_database       TEXT,
    addon_version             TEXT,
    license_type              TEXT,
    license_sen               TEXT,
    license_max_users         INTEGER,
    license_expires_on        TEXT,
    active_users              INTEGER,
    spreadsheets              INTEGER,
    queries                   INTEGER,
    pages_with_macros         INTEGER,
    contact_email             TEXT,
    contact_name              TEXT,
    received_at               TEXT    NOT NULL,         -- UTC, when this receiver stored it
    message_id                INTEGER REFERENCES messages(id) ON DELETE SET NULL
);
CREATE INDEX reports_by_server_time ON reports (server_id, generated_at);
CREATE INDEX reports_by_message ON reports (message_id);

CREATE TABLE report_features (
    report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (report_id, name)
) WITHOUT ROWID;

CREATE TABLE report_connections (
    report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    type       TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (report_id, type)
) WITHOUT ROWID;

CREATE TABLE report_errors (
    report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (report_id, name)
) WITHOUT ROWID;

-- The current state of each instance: its latest stored report, kept up to date on every write.
CREATE TABLE instances (
    server_id            TEXT    PRIMARY KEY,
    first_report_at      TEXT    NOT NULL,
    latest_report_id     INTEGER NOT NULL REFERENCES reports(id),
    latest_generated_at  TEXT    NOT NULL,
    reports              INTEGER NOT NULL
) WITHOUT ROWID;

-- Opt-out and opt-in events: notices from the add-on and decisions made by hand.
CREATE TABLE opt_events (
    id            INTEGER PRIMARY KEY,
    event_key     TEXT    NOT NULL UNIQUE,
    server_id     TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('optout', 'optin')),
    generated_at  TEXT    NOT NULL,  -- UTC: the instant that decides what is suppressed
    source        TEXT    NOT NULL CHECK (source IN ('notice', 'manual')),
    reason        TEXT,
    recorded_at   TEXT    NOT NULL
);
CREATE INDEX opt_events_by_server_time ON opt_events (server_id, generated_at);
