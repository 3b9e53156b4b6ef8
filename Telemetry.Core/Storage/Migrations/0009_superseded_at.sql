-- When each report stopped being its instance's latest: the generation instant of the instance's next report
-- (ordered by generated_at, then report_key), or NULL while it is the latest; and the same as a number of seconds
-- after its own generation. The latest report of every instance at any instant E is then
-- "generated_at <= E AND (superseded_at IS NULL OR superseded_at > E)", which an index on generated_at answers for
-- any date without one lookup per instance. Kept right on every insert and delete, whatever the order reports
-- arrive or are erased in.
ALTER TABLE reports ADD COLUMN superseded_at TEXT;
ALTER TABLE reports ADD COLUMN superseded_after_s INTEGER;

-- The features a report names, each as "+name" when used (count above 0) or "-name" when reported as 0, sorted
-- and joined by the unit separator (names hold no control characters): adoption is counted per distinct set of
-- features, from the index alone.
ALTER TABLE reports ADD COLUMN feature_use TEXT NOT NULL DEFAULT '';

UPDATE reports SET feature_use = coalesce(
    (SELECT group_concat(CASE WHEN count > 0 THEN '+' ELSE '-' END || name, char(31)) FROM
        (SELECT name, count FROM report_features f WHERE f.report_id = reports.id ORDER BY name)),
    '');

-- The seek the triggers need: an instance's neighbours in (generated_at, report_key) order.
DROP INDEX reports_by_server_time;
CREATE INDEX reports_by_server_time ON reports (server_id, generated_at, report_key);

UPDATE reports SET superseded_at = n.next,
                   superseded_after_s = CAST(round((julianday(n.next) - julianday(reports.generated_at)) * 86400) AS INTEGER)
FROM (SELECT id, lead(generated_at) OVER (PARTITION BY server_id ORDER BY generated_at, report_key) AS next
      FROM reports) AS n
WHERE n.id = reports.id;

-- A new report is placed between its neighbours by ReportStore.Insert (it reads them before inserting: one write
-- instead of three). Deletions, whatever deletes, keep the chain through this trigger.
CREATE TRIGGER reports_supersede_on_delete AFTER DELETE ON reports
BEGIN
    UPDATE reports SET superseded_at = OLD.superseded_at,
                       superseded_after_s = CASE WHEN OLD.superseded_at IS NULL THEN NULL
                           ELSE CAST(round((julianday(OLD.superseded_at) - julianday(generated_at)) * 86400) AS INTEGER) END
    WHERE id = (SELECT id FROM reports
                WHERE server_id = OLD.server_id AND (generated_at, report_key) < (OLD.generated_at, OLD.report_key)
                ORDER BY generated_at DESC, report_key DESC LIMIT 1);
END;

-- The statistics read the latest reports at a date as a range of generation instants, from this index alone
-- (it holds every column they group or add up).
CREATE INDEX reports_by_time ON reports (
    generated_at, superseded_at, superseded_after_s, kind, user_count, active_users, addon_version,
    confluence_version, license_type, confluence_edition, cluster_nodes, feature_use);

-- New installations per month.
CREATE INDEX reports_installs_by_time ON reports (generated_at, server_id) WHERE kind = 'install';
