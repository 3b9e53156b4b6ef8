-- Instances in trouble, one row per occurrence of a rule: opened by an evaluation, resolved by the first
-- evaluation where the rule no longer holds. Deleted with the instance's reports (opt-out, erasure, retention).
CREATE TABLE health_flags (
    id             INTEGER PRIMARY KEY,
    server_id      TEXT    NOT NULL,
    rule           TEXT    NOT NULL,
    severity       TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    figures        TEXT    NOT NULL,  -- what triggered it, in words
    first_seen     TEXT    NOT NULL,  -- UTC
    last_seen      TEXT    NOT NULL,  -- UTC
    status         TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'snoozed', 'resolved')),
    note           TEXT,
    snoozed_until  TEXT,
    resolved_at    TEXT
);
CREATE INDEX health_flags_by_instance ON health_flags (server_id, rule, status);
CREATE INDEX health_flags_by_status ON health_flags (status, rule);
