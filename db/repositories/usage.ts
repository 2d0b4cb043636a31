/**
 * The usage rollups (schema `usage_rollups`): the upsert that merges a process's in-memory
 * rollup into the stored rows, and the grouped read behind `usageStats`.
 */
import { asc, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { rows } from '../rows.ts';
import { usageRollups } from '../schema.ts';

export const USAGE_DIMENSIONS = ['DAY', 'OPERATION', 'CLIENT', 'ROLE'] as const;
export type UsageDimensionName = (typeof USAGE_DIMENSIONS)[number];

/** What one flush adds to the row of its key. */
export interface UsageIncrement {
  readonly day: string;
  readonly operation: string;
  readonly client: string;
  readonly role: string;
  readonly requestCount: number;
  readonly errorCount: number;
  readonly durationSumMs: number;
  readonly durationMaxMs: number;
  readonly latencyBuckets: readonly number[];
}

/** Rows per statement: a flush of more keys is written in several statements, each atomic. */
const BATCH = 500;

const compareKeys = (a: UsageIncrement, b: UsageIncrement): number =>
  a.day.localeCompare(b.day) || a.operation.localeCompare(b.operation) || a.client.localeCompare(b.client) || a.role.localeCompare(b.role);

/**
 * Adds each increment to the stored row of its key (creating it when missing), histograms
 * element by element, in SQL: correct with any number of replicas flushing at once, since
 * ON CONFLICT DO UPDATE takes the row lock and reads the committed row. Keys are written in a
 * fixed order, so two replicas writing overlapping keys lock them in the same order and cannot
 * deadlock. Calls `onBatchWritten` after each committed statement, so a caller can tell what
 * was stored when a later batch fails.
 */
export async function addUsage<T extends UsageIncrement>(
  db: Executor,
  increments: readonly T[],
  onBatchWritten: (written: readonly T[]) => void = () => {},
): Promise<void> {
  const sorted = [...increments].sort(compareKeys);
  const stored = usageRollups;
  for (let start = 0; start < sorted.length; start += BATCH) {
    const batch = sorted.slice(start, start + BATCH);
    await db
      .insert(stored)
      .values(batch.map((increment) => ({ ...increment, latencyBuckets: [...increment.latencyBuckets] })))
      .onConflictDoUpdate({
        target: [stored.day, stored.operation, stored.client, stored.role],
        set: {
          requestCount: sql`${stored.requestCount} + excluded.request_count`,
          errorCount: sql`${stored.errorCount} + excluded.error_count`,
          durationSumMs: sql`${stored.durationSumMs} + excluded.duration_sum_ms`,
          durationMaxMs: sql`greatest(${stored.durationMaxMs}, excluded.duration_max_ms)`,
          latencyBuckets: sql`array(
            select coalesce(mine, 0) + coalesce(theirs, 0)
            from unnest(${stored.latencyBuckets}, excluded.latency_buckets) with ordinality as merged(mine, theirs, position)
            order by position)`,
          updatedAt: sql`now()`,
        },
      });
    onBatchWritten(batch);
  }
}

export interface UsageGroup {
  /** Set only when grouped by the dimension. */
  readonly day: string | null;
  readonly operation: string | null;
  readonly client: string | null;
  readonly role: string | null;
  readonly requestCount: number;
  readonly errorCount: number;
  readonly durationSumMs: number;
  readonly durationMaxMs: number;
  readonly latencyBuckets: number[];
}

const DIMENSION_COLUMN: Record<UsageDimensionName, { column: SQL; absent: SQL }> = {
  DAY: { column: sql`day::text`, absent: sql`null::text` },
  OPERATION: { column: sql`operation`, absent: sql`null::text` },
  CLIENT: { column: sql`client`, absent: sql`null::text` },
  ROLE: { column: sql`role`, absent: sql`null::text` },
};

/**
 * Rollups of the days from `firstDay` to `endDay` (exclusive, YYYY-MM-DD), summed per group of
 * `groupBy` (none: one total), histograms summed element by element — all in one statement.
 * Ordered by day, then by requests, most first. No rows for a range with no usage.
 */
export async function usageGroups(
  db: Executor,
  range: { readonly firstDay: string; readonly endDay: string },
  groupBy: readonly UsageDimensionName[],
): Promise<UsageGroup[]> {
  const pick = (name: UsageDimensionName) => (groupBy.includes(name) ? DIMENSION_COLUMN[name].column : DIMENSION_COLUMN[name].absent);
  const found = await rows<{
    day: string | null;
    operation: string | null;
    client: string | null;
    role: string | null;
    requestCount: number;
    errorCount: number;
    durationSumMs: number;
    durationMaxMs: number;
    latencyBuckets: number[] | null;
  }>(
    db,
    sql`with picked as (
          select ${pick('DAY')} as day, ${pick('OPERATION')} as operation, ${pick('CLIENT')} as client, ${pick('ROLE')} as role,
                 request_count, error_count, duration_sum_ms, duration_max_ms, latency_buckets
          from usage_rollups
          where day >= ${range.firstDay}::date and day < ${range.endDay}::date
        ),
        totals as (
          select day, operation, client, role,
                 sum(request_count)::float8 as request_count, sum(error_count)::float8 as error_count,
                 sum(duration_sum_ms)::float8 as duration_sum_ms, max(duration_max_ms)::float8 as duration_max_ms
          from picked group by day, operation, client, role
        ),
        per_bucket as (
          select day, operation, client, role, position, sum(requests)::float8 as requests
          from picked cross join lateral unnest(latency_buckets) with ordinality as bucket(requests, position)
          group by day, operation, client, role, position
        ),
        histograms as (
          select day, operation, client, role, array_agg(requests order by position) as latency_buckets
          from per_bucket group by day, operation, client, role
        )
        select t.day, t.operation, t.client, t.role,
               t.request_count as "requestCount", t.error_count as "errorCount",
               t.duration_sum_ms as "durationSumMs", t.duration_max_ms as "durationMaxMs",
               h.latency_buckets as "latencyBuckets"
        from totals t
        left join histograms h
          on t.day is not distinct from h.day and t.operation is not distinct from h.operation
         and t.client is not distinct from h.client and t.role is not distinct from h.role
        order by t.day nulls first, t.request_count desc, t.operation, t.client, t.role`,
  );
  return found.map((row) => ({
    ...row,
    requestCount: Number(row.requestCount),
    errorCount: Number(row.errorCount),
    durationSumMs: Number(row.durationSumMs),
    durationMaxMs: Number(row.durationMaxMs),
    latencyBuckets: (row.latencyBuckets ?? []).map(Number),
  }));
}

/** Every stored row, in key order (tests and operators' checks). */
export function allUsageRows(db: Executor) {
  const stored = usageRollups;
  return db.select().from(stored).orderBy(asc(stored.day), asc(stored.operation), asc(stored.client), asc(stored.role));
}
