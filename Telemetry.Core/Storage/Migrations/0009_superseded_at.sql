-- When each report stopped being its instance's latest: the generation instant of the instance's next report
-- (ordered by generated_at, then report_key), or NULL while it is the latest. The latest report of every instance
-- at any instant E is then "generated_at <= E AND (superseded_at IS NULL OR superseded_at > E)", which an index on
-- generated_at answers for any date without one lookup per instance. Kept right by triggers on every insert and
-- delete, whatever the order reports arrive or are erased in.
ALTER TABLE reports ADD COLUMN superseded_at TEXT;

-- The seek the triggers need: an instance's neighbours in (generated_at, report_key) order.
DROP INDEX reports_by_server_time;
CREATE INDEX reports_by_server_time ON reports (server_id, generated_at, report_key);

UPDATE reports SET superseded_at = n.next
FROM (SELECT id, lead(generated_at) OVER (PARTITION BY server_id ORDER BY generated_at, report_key) AS next
      FROM reports) AS n
WHERE n.id = reports.id;

CREATE TRIGGER reports_supersede_on_insert AFTER INSERT ON reports
BEGIN
    UPDATE reports SET superseded_at = NEW.generated_at
    WHERE id = (SELECT id FROM reports
                WHERE server_id = NEW.server_id AND (generated_at, report_key) < (NEW.generated_at, NEW.report_key)
                ORDER BY generated_at DESC, report_key DESC LIMIT 1);
    UPDATE reports SET superseded_at =
        (SELECT generated_at FROM reports
         WHERE server_id = NEW.server_id AND (generated_at, report_key) > (NEW.generated_at, NEW.report_key)
         ORDER BY generated_at, report_key LIMIT 1)
    WHERE id = NEW.id;
END;

CREATE TRIGGER reports_supersede_on_delete AFTER DELETE ON reports
BEGIN
    UPDATE reports SET superseded_at = OLD.superseded_at
    WHERE id = (SELECT id FROM reports
                WHERE server_id = OLD.server_id AND (generated_at, report_key) < (OLD.generated_at, OLD.report_key)
                ORDER BY generated_at DESC, report_key DESC LIMIT 1);
END;

-- The statistics read the latest reports at a date by a range of generation instants.
CREATE INDEX reports_by_time ON reports (generated_at, superseded_at);

-- New installations per month.
CREATE INDEX reports_installs_by_time ON reports (generated_at, server_id) WHERE kind = 'install';
