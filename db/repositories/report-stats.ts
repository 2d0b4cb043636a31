/**
 * Aggregates over the reports a caller may count: one GROUP BY under the policy Scope, and a
 * zero-filled time series. Dimension labels (unit names, author names) come from the same
 * statement.
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { rows } from '../rows.ts';
import type { ReportRow } from '../schema.ts';
import { scopeCondition, type Scope } from '../scope.ts';

export const DIMENSIONS = ['STATUS', 'SENSITIVITY', 'ORG_UNIT', 'AUTHOR', 'WEEK'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface BucketRow {
  readonly status: ReportRow['status'] | null;
  readonly sensitivity: ReportRow['sensitivity'] | null;
  readonly orgUnitId: string | null;
  readonly orgUnitName: string | null;
  readonly authorId: string | null;
  readonly authorName: string | null;
  readonly week: Date | null;
  readonly count: number;
}

const WEEK = sql`date_trunc('week', reports.created_at at time zone 'UTC') at time zone 'UTC'`;

/** Per dimension: the selected columns and the GROUP BY expressions. */
const DIMENSION_SQL: Record<Dimension, { select: SQL; group: SQL[] }> = {
  STATUS: { select: sql`reports.status::text as status`, group: [sql`reports.status`] },
  SENSITIVITY: { select: sql`reports.sensitivity::text as sensitivity`, group: [sql`reports.sensitivity`] },
  ORG_UNIT: { select: sql`reports.org_unit_id as "orgUnitId", u.name as "orgUnitName"`, group: [sql`reports.org_unit_id`, sql`u.name`] },
  AUTHOR: { select: sql`reports.author_id as "authorId", a.display_name as "authorName"`, group: [sql`reports.author_id`, sql`a.display_name`] },
  WEEK: { select: sql`${WEEK} as week`, group: [WEEK] },
};

export async function reportBuckets(
  db: Executor,
  scope: Scope,
  dimensions: readonly Dimension[],
  filter?: SQL,
): Promise<BucketRow[]> {
  if (scope.kind === 'none') return [];
  const unique = DIMENSIONS.filter((dimension) => dimensions.includes(dimension));
  const selects = unique.map((dimension) => DIMENSION_SQL[dimension].select);
  const groups = unique.flatMap((dimension) => DIMENSION_SQL[dimension].group);
  // The policy condition and filters name the table "reports": no alias for it here.
  const condition = and(scopeCondition(scope), filter) ?? sql`true`;
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select ${sql.join([...selects, sql`count(*)::int as count`], sql`, `)}
        from reports
        ${unique.includes('ORG_UNIT') ? sql`left join org_units u on u.id = reports.org_unit_id` : sql``}
        ${unique.includes('AUTHOR') ? sql`left join people a on a.id = reports.author_id` : sql``}
        where ${condition}
        ${groups.length ? sql`group by ${sql.join(groups, sql`, `)}` : sql``}
        order by ${groups.length ? sql.join(groups, sql`, `) : sql`1`}`,
  );
  return found.map((row) => ({
    status: (row.status as BucketRow['status']) ?? null,
    sensitivity: (row.sensitivity as BucketRow['sensitivity']) ?? null,
    orgUnitId: (row.orgUnitId as string | undefined) ?? null,
    orgUnitName: (row.orgUnitName as string | undefined) ?? null,
    authorId: (row.authorId as string | undefined) ?? null,
    authorName: (row.authorName as string | undefined) ?? null,
    week: row.week ? new Date(row.week as string) : null,
    count: Number(row.count),
  }));
}

export type TrendInterval = 'DAY' | 'WEEK' | 'MONTH';

export interface TrendRow {
  readonly start: Date;
  readonly count: number;
}

/** Reports created per interval in [from, to), every interval present (zero-filled). */
export async function reportTrend(
  db: Executor,
  scope: Scope,
  interval: TrendInterval,
  range: { from: Date; to: Date },
  filter?: SQL,
): Promise<TrendRow[]> {
  const unit = interval.toLowerCase();
  const condition = and(scopeCondition(scope), filter) ?? sql`true`;
  const counted =
    scope.kind === 'none'
      ? sql`select null::timestamp as start, 0 as count where false`
      : sql`select date_trunc(${unit}, reports.created_at at time zone 'UTC') as start, count(*)::int as count
            from reports
            where ${condition} and reports.created_at >= ${range.from} and reports.created_at < ${range.to}
            group by 1`;
  const found = await rows<{ start: string | Date; count: number }>(
    db,
    sql`with counted as (${counted})
        select series.start at time zone 'UTC' as start, coalesce(counted.count, 0)::int as count
        from generate_series(
          date_trunc(${unit}, ${range.from}::timestamptz at time zone 'UTC'),
          (${range.to}::timestamptz - interval '1 millisecond') at time zone 'UTC',
          ('1 ' || ${unit})::interval) as series(start)
        left join counted on counted.start = series.start
        order by series.start`,
  );
  return found.map((row) => ({ start: new Date(row.start), count: Number(row.count) }));
}
