-- Who did what to the data, and when: opt-outs, opt-ins, erasures, exports, holds, purges.
-- Instances appear only as keyed hashes. Entries are never changed; they are deleted after their retention.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,  -- UTC
    action       TEXT    NOT NULL,
    server_hash  TEXT,              -- HMAC of the Server ID, when the action concerns one instance
    os_user      TEXT    NOT NULL,  -- the operating-system account that ran the command
    details      TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at);

CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Instances whose data must be kept whatever the retention period (legal hold).
CREATE TABLE legal_holds (
    server_hash  TEXT PRIMARY KEY,
    reason       TEXT NOT NULL,
    since        TEXT NOT NULL,  -- UTC
    os_user      TEXT NOT NULL
) WITHOUT ROWID;
