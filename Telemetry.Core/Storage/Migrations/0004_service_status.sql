-- What the receiver service last did, for `telemetry status`: one row.
CREATE TABLE service_status (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    mailbox          TEXT,     -- which mailbox, for people ("Maildir /srv/mail", "imap://reports@host/INBOX")
    last_cycle_at    TEXT,     -- UTC: the last pass over the mailbox, successful or not
    last_success_at  TEXT,     -- UTC: the last pass that completed
    waiting          INTEGER,  -- messages found waiting at the start of the last pass
    last_error       TEXT,     -- the last failure, in one line (never a credential)
    last_error_at    TEXT,
    last_purge_at    TEXT      -- UTC: the last daily retention run
);
INSERT INTO service_status (id) VALUES (1);
