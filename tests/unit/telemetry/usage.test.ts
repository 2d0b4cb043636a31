import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../telemetry/logger.ts';
import { createUsageRecorder, primaryRole, startUsageFlusher, type UsageEntry } from '../../../telemetry/usage.ts';
import { addCounts, bucketIndex, emptyCounts, estimateQuantile, USAGE_LATENCY_BUCKETS_MS } from '../../../telemetry/usage-histogram.ts';
import { Writable } from 'node:stream';

const silent = createLogger({ level: 'error', stream: new Writable({ write: (_chunk, _encoding, done) => done() }) });
const at = (iso: string) => () => new Date(iso);
const summary = (overrides: Partial<{ operation: string | null; client: string; roles: string[]; outcome: string; durationMs: number }> = {}) => ({
  operation: 'Reports',
  client: 'web',
  roles: ['member', 'builder'],
  outcome: 'ok',
  durationMs: 12,
  ...overrides,
});

describe('the latency histogram', () => {
  it('puts a duration in the first bucket whose bound holds it, the rest in the overflow', () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(5)).toBe(0);
    expect(bucketIndex(5.01)).toBe(1);
    expect(bucketIndex(10_000)).toBe(USAGE_LATENCY_BUCKETS_MS.length - 1);
    expect(bucketIndex(10_001)).toBe(USAGE_LATENCY_BUCKETS_MS.length);
  });

  it('estimates quantiles within the right bucket, never above the largest duration', () => {
    const counts = emptyCounts();
    for (const duration of [1, 2, 3, 4, 20, 20, 20, 20, 20, 300]) counts[bucketIndex(duration)]! += 1;
    const p50 = estimateQuantile(counts, 0.5, 300) as number;
    expect(p50).toBeGreaterThan(10);
    expect(p50).toBeLessThanOrEqual(25);
    expect(estimateQuantile(counts, 0.99, 300)).toBeGreaterThan(250);
    expect(estimateQuantile(counts, 0.99, 300)).toBeLessThanOrEqual(300);
    expect(estimateQuantile(emptyCounts(), 0.5, 0)).toBeUndefined();
    const overflow = emptyCounts();
    overflow[USAGE_LATENCY_BUCKETS_MS.length] = 3;
    expect(estimateQuantile(overflow, 0.5, 42_000)).toBeGreaterThan(10_000);
    expect(estimateQuantile(overflow, 1, 42_000)).toBe(42_000);
  });

  it('merges by adding counts, element by element', () => {
    expect(addCounts([1, 2, 3], [10, 20])).toEqual([11, 22, 3]);
  });
});

describe('primaryRole', () => {
  it('is the most privileged role, a service role, or none', () => {
    expect(primaryRole(['member', 'builder', 'manager'])).toBe('manager');
    expect(primaryRole(['member', 'analyst', 'admin'])).toBe('admin');
    expect(primaryRole(['dashboard'])).toBe('dashboard');
    expect(primaryRole([])).toBe('none');
  });
});

describe('the usage recorder', () => {
  const options = { operationNames: () => new Set(['Reports']), knownClients: new Set(['web']) };

  it('rolls requests up per day, operation, client and role, with bounded labels', () => {
    const recorder = createUsageRecorder({ ...options, now: at('2026-11-20T23:59:59Z') });
    recorder.record(summary());
    recorder.record(summary({ durationMs: 30, outcome: 'FORBIDDEN' }));
    recorder.record(summary({ operation: 'RandomName', client: 'curl' }));
    recorder.record(summary({ operation: null, roles: [] }));
    const entries = recorder.drain();
    expect(recorder.size()).toBe(0);
    expect(entries).toHaveLength(3);
    expect(entries.find((entry) => entry.operation === 'Reports')).toMatchObject({
      day: '2026-11-20',
      client: 'web',
      role: 'builder',
      requestCount: 2,
      errorCount: 1,
      durationSumMs: 42,
      durationMaxMs: 30,
    });
    expect(entries.find((entry) => entry.operation === 'other')).toMatchObject({ client: 'other', requestCount: 1 });
    expect(entries.find((entry) => entry.operation === 'anonymous')).toMatchObject({ role: 'none', requestCount: 1 });
  });

  it('holds at most maxKeys keys, folding the rest into other/other', () => {
    const recorder = createUsageRecorder({ operationNames: () => new Set(['A', 'B', 'C']), knownClients: new Set(), maxKeys: 2, now: at('2026-11-20T12:00:00Z') });
    for (const operation of ['A', 'B', 'C', 'C']) recorder.record(summary({ operation }));
    const entries = recorder.drain();
    expect(entries.map((entry) => [entry.operation, entry.requestCount])).toEqual([
      ['A', 1],
      ['B', 1],
      ['other', 2],
    ]);
  });

  it('takes entries back after a failed write, merging them with what came meanwhile', () => {
    const recorder = createUsageRecorder({ ...options, now: at('2026-11-20T12:00:00Z') });
    recorder.record(summary({ durationMs: 7 }));
    const taken = recorder.drain();
    recorder.record(summary({ durationMs: 9 }));
    recorder.restore(taken);
    expect(recorder.drain()).toMatchObject([{ requestCount: 2, durationSumMs: 16, durationMaxMs: 9 }]);
  });
});

describe('the usage flusher', () => {
  const options = { operationNames: () => new Set(['Reports']), knownClients: new Set(['web']) };

  it('writes what is held, and keeps only the entries of batches that did not commit', async () => {
    const recorder = createUsageRecorder({ ...options, now: at('2026-11-20T12:00:00Z') });
    recorder.record(summary({ operation: 'Reports' }));
    recorder.record(summary({ operation: 'Other' }));
    const write = vi.fn(async (entries: readonly UsageEntry[], onWritten: (written: readonly UsageEntry[]) => void) => {
      onWritten(entries.slice(0, 1));
      throw new Error('connection lost');
    });
    const flusher = startUsageFlusher({ recorder, write, intervalMs: 60_000, logger: silent });
    expect(await flusher.flush()).toBe(false);
    const kept = recorder.drain();
    expect(kept).toHaveLength(1);
    expect(kept[0]?.requestCount).toBe(1);
    expect(await flusher.stop(1000)).toBe(true);
  });

  it('flushes once more when stopped, giving up after the time limit', async () => {
    const recorder = createUsageRecorder({ ...options, now: at('2026-11-20T12:00:00Z') });
    recorder.record(summary());
    const written: UsageEntry[] = [];
    const flusher = startUsageFlusher({
      recorder,
      write: async (entries, onWritten) => {
        written.push(...entries);
        onWritten(entries);
      },
      intervalMs: 60_000,
      logger: silent,
    });
    expect(await flusher.stop(1000)).toBe(true);
    expect(written).toHaveLength(1);

    const stuck = createUsageRecorder({ ...options });
    stuck.record(summary());
    const hanging = startUsageFlusher({ recorder: stuck, write: () => new Promise(() => {}), intervalMs: 60_000, logger: silent });
    const started = Date.now();
    expect(await hanging.stop(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
