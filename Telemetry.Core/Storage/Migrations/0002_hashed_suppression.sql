-- The suppression list keeps no plain Server ID: servers and event identities become keyed hashes
-- (HMAC-SHA256 under the key file), computed by the function server_hmac the program registers.
CREATE TABLE settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE opt_events_hashed (
    id            INTEGER PRIMARY KEY,
    event_hash    TEXT    NOT NULL UNIQUE,  -- HMAC of the event identity ("event:<identity>")
    server_hash   TEXT    NOT NULL,         -- HMAC of the Server ID ("server:<id>")
    kind          TEXT    NOT NULL CHECK (kind IN ('optout', 'optin')),
    generated_at  TEXT    NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('notice', 'manual')),
    reason        TEXT,
    recorded_at   TEXT    NOT NULL
);

INSERT INTO opt_events_hashed (id, event_hash, server_hash, kind, generated_at, source, reason, recorded_at)
SELECT id, server_hmac('event:' || event_key), server_hmac('server:' || server_id), kind, generated_at, source, reason, recorded_at
FROM opt_events;

DROP TABLE opt_events;
ALTER TABLE opt_events_hashed RENAME TO opt_events;
CREATE INDEX opt_events_by_server_time ON opt_events (server_hash, generated_at);
