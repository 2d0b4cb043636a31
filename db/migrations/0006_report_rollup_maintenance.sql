-- Keeps report_unit_counts and report_line_counts equal to what counting reports would give,
-- in the transaction of every write: statement triggers with transition tables, so a COPY of a
-- million rows costs two grouped upserts, not a million row triggers.
--
-- Each trigger folds its rows into signed deltas per (org unit, status, sensitivity, author),
-- then one statement per table applies them. Upserts run in key order, so two writers touching
-- the same counters lock them in the same order and cannot deadlock each other.
CREATE OR REPLACE FUNCTION report_counts_apply(
  units text[], statuses report_status[], sensitivities report_sensitivity[], authors text[], deltas integer[]
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_unit_counts AS counted (org_unit_id, status, sensitivity, count)
  SELECT d.org_unit_id, d.status, d.sensitivity, sum(d.delta)::int
  FROM unnest(units, statuses, sensitivities, deltas) AS d(org_unit_id, status, sensitivity, delta)
  GROUP BY 1, 2, 3 HAVING sum(d.delta) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (org_unit_id, status, sensitivity) DO UPDATE SET count = counted.count + excluded.count;

  INSERT INTO report_line_counts AS counted (manager_id, org_unit_id, status, sensitivity, count)
  SELECT line.manager_id, d.org_unit_id, d.status, d.sensitivity, sum(d.delta)::int
  FROM unnest(units, statuses, sensitivities, authors, deltas) AS d(org_unit_id, status, sensitivity, author_id, delta)
  JOIN reporting_lines line ON line.person_id = d.author_id
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (manager_id, org_unit_id, status, sensitivity) DO UPDATE SET count = counted.count + excluded.count;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE units text[]; statuses report_status[]; sensitivities report_sensitivity[]; authors text[]; deltas integer[];
BEGIN
  SELECT array_agg(org_unit_id), array_agg(status), array_agg(sensitivity), array_agg(author_id), array_agg(n)
  INTO units, statuses, sensitivities, authors, deltas
  FROM (SELECT org_unit_id, status, sensitivity, author_id, count(*)::int AS n FROM new_rows GROUP BY 1, 2, 3, 4) grouped;
  IF units IS NOT NULL THEN PERFORM report_counts_apply(units, statuses, sensitivities, authors, deltas); END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE units text[]; statuses report_status[]; sensitivities report_sensitivity[]; authors text[]; deltas integer[];
BEGIN
  SELECT array_agg(org_unit_id), array_agg(status), array_agg(sensitivity), array_agg(author_id), array_agg(n)
  INTO units, statuses, sensitivities, authors, deltas
  FROM (SELECT org_unit_id, status, sensitivity, author_id, -count(*)::int AS n FROM old_rows GROUP BY 1, 2, 3, 4) grouped;
  IF units IS NOT NULL THEN PERFORM report_counts_apply(units, statuses, sensitivities, authors, deltas); END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Only rows whose counted key changed move between counters; edits of a title cost one join.
CREATE OR REPLACE FUNCTION report_counts_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE units text[]; statuses report_status[]; sensitivities report_sensitivity[]; authors text[]; deltas integer[];
BEGIN
  WITH moved AS (
    SELECT before.org_unit_id AS old_unit, before.status AS old_status, before.sensitivity AS old_sensitivity,
           before.author_id AS old_author, after.org_unit_id AS new_unit, after.status AS new_status,
           after.sensitivity AS new_sensitivity, after.author_id AS new_author
    FROM old_rows before JOIN new_rows after ON after.id = before.id
    WHERE (before.org_unit_id, before.status, before.sensitivity, before.author_id)
          IS DISTINCT FROM (after.org_unit_id, after.status, after.sensitivity, after.author_id)
  ), signed AS (
    SELECT old_unit AS org_unit_id, old_status AS status, old_sensitivity AS sensitivity, old_author AS author_id, -1 AS delta FROM moved
    UNION ALL
    SELECT new_unit, new_status, new_sensitivity, new_author, 1 FROM moved
  )
  SELECT array_agg(org_unit_id), array_agg(status), array_agg(sensitivity), array_agg(author_id), array_agg(n)
  INTO units, statuses, sensitivities, authors, deltas
  FROM (SELECT org_unit_id, status, sensitivity, author_id, sum(delta)::int AS n FROM signed GROUP BY 1, 2, 3, 4) grouped;
  IF units IS NOT NULL THEN PERFORM report_counts_apply(units, statuses, sensitivities, authors, deltas); END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- TRUNCATE fires no row or transition-table trigger: empty the counters with it.
CREATE OR REPLACE FUNCTION report_counts_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_unit_counts;
  DELETE FROM report_line_counts;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER report_counts_insert AFTER INSERT ON reports
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_after_insert();--> statement-breakpoint
CREATE TRIGGER report_counts_delete AFTER DELETE ON reports
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_after_delete();--> statement-breakpoint
CREATE TRIGGER report_counts_update AFTER UPDATE ON reports
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_after_update();--> statement-breakpoint
CREATE TRIGGER report_counts_truncate AFTER TRUNCATE ON reports
  FOR EACH STATEMENT EXECUTE FUNCTION report_counts_after_truncate();--> statement-breakpoint
-- The org import calls this after rebuilding reporting_lines, in its own transaction. Authors are
-- grouped first (a fifth of the reports' rows), then spread over their managers.
CREATE OR REPLACE FUNCTION rebuild_report_line_counts() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_line_counts;
  INSERT INTO report_line_counts (manager_id, org_unit_id, status, sensitivity, count)
  SELECT line.manager_id, authored.org_unit_id, authored.status, authored.sensitivity, sum(authored.n)::int
  FROM (SELECT author_id, org_unit_id, status, sensitivity, count(*) AS n FROM reports GROUP BY 1, 2, 3, 4) authored
  JOIN reporting_lines line ON line.person_id = authored.author_id
  GROUP BY 1, 2, 3, 4;
END
$$;--> statement-breakpoint
INSERT INTO report_unit_counts (org_unit_id, status, sensitivity, count)
SELECT org_unit_id, status, sensitivity, count(*)::int FROM reports GROUP BY 1, 2, 3;--> statement-breakpoint
SELECT rebuild_report_line_counts();
