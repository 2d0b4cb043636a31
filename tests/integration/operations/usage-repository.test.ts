/**
 * The usage rollups in the database: upserts add to what is stored (histograms element by
 * element), concurrent flushes from several replicas lose nothing, and usageGroups sums per
 * group in SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../db/client.ts';
import { addUsage, allUsageRows, usageGroups, type UsageIncrement } from '../../../db/repositories/usage.ts';
import { emptyCounts } from '../../../telemetry/usage-histogram.ts';
import { drivers, openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';

function increment(overrides: Partial<UsageIncrement> & { bucket?: number }): UsageIncrement {
  const latencyBuckets = emptyCounts();
  latencyBuckets[overrides.bucket ?? 1] = overrides.requestCount ?? 1;
  return {
    day: '2026-11-20',
    operation: 'Reports',
    client: 'web',
    role: 'builder',
    requestCount: 1,
    errorCount: 0,
    durationSumMs: 8,
    durationMaxMs: 8,
    latencyBuckets,
    ...overrides,
  };
}

describe.each(drivers)('usage rollups on $name', ({ name, available }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (available) database = await openTestDatabase(name);
  });
  afterAll(async () => database?.close());

  it.runIf(available)('adds each flush to the stored row of its key', async () => {
    await addUsage(database.db, [increment({ requestCount: 2, durationSumMs: 10, durationMaxMs: 6 }), increment({ role: 'analyst' })]);
    await addUsage(database.db, [increment({ requestCount: 3, errorCount: 1, durationSumMs: 900, durationMaxMs: 600, bucket: 7 })]);
    const stored = await allUsageRows(database.db);
    expect(stored).toHaveLength(2);
    const builder = stored.find((row) => row.role === 'builder');
    expect(builder).toMatchObject({ requestCount: 5, errorCount: 1, durationSumMs: 910, durationMaxMs: 600 });
    expect(builder?.latencyBuckets[1]).toBe(2);
    expect(builder?.latencyBuckets[7]).toBe(3);
    expect(builder?.latencyBuckets.reduce((sum, count) => sum + count, 0)).toBe(5);
  });

  it.runIf(available)('sums groups over a day range, histograms included', async () => {
    await addUsage(database.db, [
      increment({ day: '2026-11-21', client: 'dashboard', requestCount: 4, durationSumMs: 40, durationMaxMs: 12, bucket: 2 }),
      increment({ day: '2026-11-25', requestCount: 100 }),
    ]);
    const total = await usageGroups(database.db, { firstDay: '2026-11-20', endDay: '2026-11-22' }, []);
    expect(total).toEqual([
      expect.objectContaining({ day: null, operation: null, client: null, role: null, requestCount: 10, errorCount: 1 }),
    ]);
    expect(total[0]?.latencyBuckets.reduce((sum, count) => sum + count, 0)).toBe(10);
    const byDayAndClient = await usageGroups(database.db, { firstDay: '2026-11-20', endDay: '2026-11-22' }, ['DAY', 'CLIENT']);
    expect(byDayAndClient.map((group) => [group.day, group.client, group.role, group.requestCount])).toEqual([
      ['2026-11-20', 'web', null, 6],
      ['2026-11-21', 'dashboard', null, 4],
    ]);
    expect(await usageGroups(database.db, { firstDay: '2027-01-01', endDay: '2027-01-02' }, ['ROLE'])).toEqual([]);
  });
});

describe.runIf(postgresUrl !== undefined)('usage rollups flushed by several replicas at once (PostgreSQL)', () => {
  let database: TestDatabase;
  const replicas: DatabaseHandle[] = [];
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    for (let index = 0; index < 4; index += 1) replicas.push(await openDatabase({ driver: 'postgres', url: database.url as string, poolMax: 2 }));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await database?.close();
  });

  it('loses no count when replicas upsert overlapping keys concurrently, in any order', async () => {
    const keys = ['A', 'B', 'C', 'D', 'E', 'F'].map((operation) => increment({ operation }));
    await Promise.all(
      replicas.flatMap((replica, index) =>
        Array.from({ length: 10 }, (_unused, round) => addUsage(replica.db, (index + round) % 2 === 0 ? keys : [...keys].reverse())),
      ),
    );
    const stored = await allUsageRows(database.db);
    expect(stored).toHaveLength(6);
    for (const row of stored) {
      expect(row.requestCount).toBe(40);
      expect(row.latencyBuckets[1]).toBe(40);
    }
  });
});
