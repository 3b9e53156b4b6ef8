-- Crash safety. A batch in progress leaves the marker 'batch_in_flight' in settings until its commit; finding it at
-- start means the last run died in the middle of a batch, so the next messages are processed one at a time with
-- their attempt recorded (and committed) before parsing. A message that killed the process 3 times is set aside.
CREATE TABLE processing_attempts (
    content_hash     BLOB    PRIMARY KEY,
    attempts         INTEGER NOT NULL,
    last_attempt_at  TEXT    NOT NULL
) WITHOUT ROWID;
