-- report_unit_week_counts joins the counters the report triggers keep (migration 0006): the
-- same statement triggers now fold their rows by ISO week of creation too, and one more grouped
-- upsert applies them. The week is the WEEK dimension's own expression (report-stats.ts).
-- Writers wait for this migration: a report written between the backfill's snapshot and the new
-- trigger functions taking effect would otherwise be counted by neither.
LOCK TABLE reports IN SHARE MODE;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_week(created_at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT date_trunc('week', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_apply(
  units text[], statuses report_status[], sensitivities report_sensitivity[], authors text[], weeks timestamptz[], deltas integer[]
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_unit_counts AS counted (org_unit_id, status, sensitivity, count)
  SELECT d.org_unit_id, d.status, d.sensitivity, sum(d.delta)::int
  FROM unnest(units, statuses, sensitivities, deltas) AS d(org_unit_id, status, sensitivity, delta)
  GROUP BY 1, 2, 3 HAVING sum(d.delta) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (org_unit_id, status, sensitivity) DO UPDATE SET count = counted.count + excluded.count;

  INSERT INTO report_unit_week_counts AS counted (org_unit_id, week, status, sensitivity, count)
  SELECT d.org_unit_id, d.week, d.status, d.sensitivity, sum(d.delta)::int
  FROM unnest(units, weeks, statuses, sensitivities, deltas) AS d(org_unit_id, week, status, sensitivity, delta)
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (org_unit_id, week, status, sensitivity) DO UPDATE SET count = counted.count + excluded.count;

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
DECLARE units text[]; statuses report_status[]; sensitivities report_sensitivity[]; authors text[]; weeks timestamptz[]; deltas integer[];
BEGIN
  SELECT array_agg(org_unit_id), array_agg(status), array_agg(sensitivity), array_agg(author_id), array_agg(week), array_agg(n)
  INTO units, statuses, sensitivities, authors, weeks, deltas
  FROM (SELECT org_unit_id, status, sensitivity, author_id, report_week(created_at) AS week, count(*)::int AS n
        FROM new_rows GROUP BY 1, 2, 3, 4, 5) grouped;
  IF units IS NOT NULL THEN PERFORM report_counts_apply(units, statuses, sensitivities, authors, weeks, deltas); END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE units text[]; statuses report_status[]; sensitivities report_sensitivity[]; authors text[]; weeks timestamptz[]; deltas integer[];
BEGIN
  SELECT array_agg(org_unit_id), array_agg(status), array_agg(sensitivity), array_agg(author_id), array_agg(week), array_agg(n)
  INTO units, statuses, sensitivities, authors, weeks, deltas
  FROM (SELECT org_unit_id, status, sensitivity, author_id, report_week(created_at) AS week, -count(*)::int AS n
        FROM old_rows GROUP BY 1, 2, 3, 4, 5) grouped;
  IF units IS NOT NULL THEN PERFORM report_counts_apply(units, statuses, sensitivities, authors, weeks, deltas); END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Only rows whose counted key changed move between counters; edits of a title cost one join.
CREATE OR REPLACE FUNCTION report_counts_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE units text[]; statuses report_status[]; sensitivities report_sensitivity[]; authors text[]; weeks timestamptz[]; deltas integer[];
BEGIN
  WITH moved AS (
    SELECT before.org_unit_id AS old_unit, before.status AS old_status, before.sensitivity AS old_sensitivity,
           before.author_id AS old_author, report_week(before.created_at) AS old_week,
           after.org_unit_id AS new_unit, after.status AS new_status, after.sensitivity AS new_sensitivity,
           after.author_id AS new_author, report_week(after.created_at) AS new_week
    FROM old_rows before JOIN new_rows after ON after.id = before.id
    WHERE (before.org_unit_id, before.status, before.sensitivity, before.author_id, report_week(before.created_at))
          IS DISTINCT FROM (after.org_unit_id, after.status, after.sensitivity, after.author_id, report_week(after.created_at))
  ), signed AS (
    SELECT old_unit AS org_unit_id, old_status AS status, old_sensitivity AS sensitivity, old_author AS author_id, old_week AS week, -1 AS delta FROM moved
    UNION ALL
    SELECT new_unit, new_status, new_sensitivity, new_author, new_week, 1 FROM moved
  )
  SELECT array_agg(org_unit_id), array_agg(status), array_agg(sensitivity), array_agg(author_id), array_agg(week), array_agg(n)
  INTO units, statuses, sensitivities, authors, weeks, deltas
  FROM (SELECT org_unit_id, status, sensitivity, author_id, week, sum(delta)::int AS n FROM signed GROUP BY 1, 2, 3, 4, 5) grouped;
  IF units IS NOT NULL THEN PERFORM report_counts_apply(units, statuses, sensitivities, authors, weeks, deltas); END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_unit_counts;
  DELETE FROM report_unit_week_counts;
  DELETE FROM report_line_counts;
  RETURN NULL;
END
$$;--> statement-breakpoint
DROP FUNCTION report_counts_apply(text[], report_status[], report_sensitivity[], text[], integer[]);--> statement-breakpoint
INSERT INTO report_unit_week_counts (org_unit_id, week, status, sensitivity, count)
SELECT org_unit_id, report_week(created_at), status, sensitivity, count(*)::int FROM reports GROUP BY 1, 2, 3, 4;--> statement-breakpoint
-- Planned from statistics at once, not after autovacuum's first visit: without them PostgreSQL
-- guessed 15 rows of the 126,000 a viewer's week counters yield, and sorted them on disk.
ANALYZE report_unit_week_counts;
