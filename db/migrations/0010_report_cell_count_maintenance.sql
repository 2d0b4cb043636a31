-- report_cell_counts and report_line_cell_counts join the counters the report triggers keep
-- (migrations 0006, 0008): two more grouped upserts in report_counts_apply, in key order like
-- the others. The org import's rebuild of the line counters now rebuilds both line tables.
LOCK TABLE reports IN SHARE MODE;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_apply(
  units text[], statuses report_status[], sensitivities report_sensitivity[], authors text[], weeks timestamptz[], deltas integer[]
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_cell_counts AS counted (status, sensitivity, count)
  SELECT d.status, d.sensitivity, sum(d.delta)::int
  FROM unnest(statuses, sensitivities, deltas) AS d(status, sensitivity, delta)
  GROUP BY 1, 2 HAVING sum(d.delta) <> 0
  ORDER BY 1, 2
  ON CONFLICT (status, sensitivity) DO UPDATE SET count = counted.count + excluded.count;

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

  INSERT INTO report_line_cell_counts AS counted (manager_id, status, sensitivity, count)
  SELECT line.manager_id, d.status, d.sensitivity, sum(d.delta)::int
  FROM unnest(statuses, sensitivities, authors, deltas) AS d(status, sensitivity, author_id, delta)
  JOIN reporting_lines line ON line.person_id = d.author_id
  GROUP BY 1, 2, 3 HAVING sum(d.delta) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (manager_id, status, sensitivity) DO UPDATE SET count = counted.count + excluded.count;

  INSERT INTO report_line_counts AS counted (manager_id, org_unit_id, status, sensitivity, count)
  SELECT line.manager_id, d.org_unit_id, d.status, d.sensitivity, sum(d.delta)::int
  FROM unnest(units, statuses, sensitivities, authors, deltas) AS d(org_unit_id, status, sensitivity, author_id, delta)
  JOIN reporting_lines line ON line.person_id = d.author_id
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (manager_id, org_unit_id, status, sensitivity) DO UPDATE SET count = counted.count + excluded.count;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_counts_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_cell_counts;
  DELETE FROM report_unit_counts;
  DELETE FROM report_unit_week_counts;
  DELETE FROM report_line_cell_counts;
  DELETE FROM report_line_counts;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_report_line_counts() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_line_counts;
  INSERT INTO report_line_counts (manager_id, org_unit_id, status, sensitivity, count)
  SELECT line.manager_id, authored.org_unit_id, authored.status, authored.sensitivity, sum(authored.n)::int
  FROM (SELECT author_id, org_unit_id, status, sensitivity, count(*) AS n FROM reports GROUP BY 1, 2, 3, 4) authored
  JOIN reporting_lines line ON line.person_id = authored.author_id
  GROUP BY 1, 2, 3, 4;

  DELETE FROM report_line_cell_counts;
  INSERT INTO report_line_cell_counts (manager_id, status, sensitivity, count)
  SELECT manager_id, status, sensitivity, sum(count)::int FROM report_line_counts GROUP BY 1, 2, 3;
END
$$;--> statement-breakpoint
INSERT INTO report_cell_counts (status, sensitivity, count)
SELECT status, sensitivity, count(*)::int FROM reports GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO report_line_cell_counts (manager_id, status, sensitivity, count)
SELECT manager_id, status, sensitivity, sum(count)::int FROM report_line_counts GROUP BY 1, 2, 3;--> statement-breakpoint
ANALYZE report_cell_counts;--> statement-breakpoint
ANALYZE report_line_cell_counts;
