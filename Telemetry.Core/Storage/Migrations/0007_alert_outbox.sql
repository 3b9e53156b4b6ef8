-- Alert emails: a transactional outbox. A digest is written in the same transaction as the health flags it reports,
-- then delivered by the sender. flag_ids is a JSON list of flag ids; entries is the JSON list of what the digest says
-- about each flag, kept so that digests waiting at once can be merged into one email. in_flight is 1 from just before
-- the SMTP transaction until its outcome is recorded: a row left at 1 by a crash may have been delivered, so it is
-- re-sent alone, with its own Message-ID, never merged. AUTOINCREMENT: an id (and so a Message-ID) is never reused.
CREATE TABLE alert_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at       TEXT    NOT NULL,
    flag_ids         TEXT    NOT NULL,
    entries          TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    text_body        TEXT    NOT NULL,
    html_body        TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    in_flight        INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    last_attempt_at  TEXT,
    sent_at          TEXT
);

CREATE INDEX alert_outbox_status ON alert_outbox (status, created_at);
CREATE INDEX alert_outbox_sent_at ON alert_outbox (sent_at) WHERE sent_at IS NOT NULL;
