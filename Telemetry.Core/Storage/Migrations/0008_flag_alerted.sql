-- Whether a flag was put in an alert email. Flags raised outside the service (ingest, health evaluate) are
-- picked up by the service's next pass; a pending email cancelled by an erasure hands its other flags back.
ALTER TABLE health_flags ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0;
UPDATE health_flags SET alerted = 1;
