/**
 * The rollout gate's rules on the edges the process tests do not reach: stale keys, a pool
 * that recently hit its deadline, a check that hangs, a broken audit chain.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySetState, TokenVerifier } from '../../../auth/index.ts';
import type { DatabaseHandle } from '../../../db/client.ts';
import type { PoolStats } from '../../../db/pool-gate.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { DEMO_GENERATED_AT } from '../../../db/seed/demo.ts';
import { evaluateReadinessGate, KEYS_FRESH_S, type ReadinessGateInputs } from '../../../telemetry/readiness-gate.ts';
import { openTestDatabase, type TestDatabase } from '../../support/database.ts';

const NOW = Date.parse(DEMO_GENERATED_AT) + 3600_000;

function keySet(state: Partial<KeySetState>, refresh: () => Promise<void> = async () => {}): TokenVerifier['keySet'] {
  const full: KeySetState = { usable: true, keyCount: 1, lastSuccessAt: NOW, lastAttemptAt: NOW, ageS: 0, fetches: 1, refreshes: 1, failures: 0, lastFailure: undefined, ...state };
  return { state: () => full, refresh };
}

describe('evaluateReadinessGate', () => {
  let database: TestDatabase;
  let pool: PoolStats;
  let asPostgres: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await loadDemoData(database.db);
    // The real database, presented as a pooled one so that the pool rules apply.
    asPostgres = { ...database, driver: 'postgres', pool: () => pool };
  });
  afterAll(async () => database?.close());

  const inputs = (overrides: Partial<ReadinessGateInputs> = {}): ReadinessGateInputs => ({
    authMode: 'okta',
    issuer: 'https://example.okta.com/oauth2/default',
    keySet: keySet({}),
    orgMaxAgeS: 7200,
    database: asPostgres,
    tracing: { enabled: true, reason: 'OTEL_EXPORTER_OTLP_ENDPOINT is set' },
    metricsUrl: undefined,
    now: () => NOW,
    ...overrides,
  });

  it('passes identity, org truth and runtime when all is in order', async () => {
    pool = { size: 10, inUse: 1, waiting: 0, timeouts: 3, lastTimeoutAt: NOW - 600_000 };
    const report = await evaluateReadinessGate(inputs());
    expect(report.areas.slice(0, 3).map((area) => area.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(report.areas[3]).toMatchObject({ area: 'TELEMETRY', status: 'FAIL', reason: 'metrics served: /metrics is not served' });
    expect(report.ready).toBe(false);
  });

  it('fails identity for keys older than the freshness limit, or none usable', async () => {
    const stale = await evaluateReadinessGate(inputs({ keySet: keySet({ ageS: KEYS_FRESH_S + 60 }, async () => Promise.reject(new Error('down'))) }));
    expect(stale.areas[0]?.checks.map((check) => check.status)).toEqual(['PASS', 'FAIL', 'FAIL']);
    const none = await evaluateReadinessGate(inputs({ keySet: keySet({ usable: false, keyCount: 0 }) }));
    expect(none.areas[0]?.checks[2]).toMatchObject({ status: 'FAIL', reason: 'no usable key set is held' });
  });

  it('fails runtime while a request hit the pool deadline within the last minute', async () => {
    pool = { size: 2, inUse: 2, waiting: 5, timeouts: 1, lastTimeoutAt: NOW - 10_000 };
    const report = await evaluateReadinessGate(inputs());
    expect(report.areas[2]).toMatchObject({ area: 'RUNTIME', status: 'FAIL', reason: expect.stringMatching(/^pool healthy: a request waited past the acquisition deadline 10 s ago/) });
  });

  it('fails org truth past ORG_MAX_AGE_S, counting from when the snapshot was generated', async () => {
    pool = { size: 10, inUse: 0, waiting: 0, timeouts: 0, lastTimeoutAt: undefined };
    const report = await evaluateReadinessGate(inputs({ orgMaxAgeS: 1800 }));
    expect(report.areas[1]).toMatchObject({ status: 'FAIL', reason: 'snapshot age: generated 3600 s ago (limit ORG_MAX_AGE_S=1800 s): import a fresh snapshot' });
  });

  it('turns a check that hangs or throws into a FAIL with no message detail', async () => {
    const hanging = await evaluateReadinessGate(inputs({ keySet: keySet({}, () => new Promise(() => {})), checkTimeoutMs: 100 }));
    expect(hanging.areas[0]?.checks[1]).toMatchObject({ status: 'FAIL', reason: 'no answer within 100 ms' });
    const broken: DatabaseHandle = {
      ...asPostgres,
      ping: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2'), { code: 'ECONNREFUSED' })),
    };
    const report = await evaluateReadinessGate(inputs({ database: broken }));
    const pooled = report.areas[2]?.checks.find((check) => check.name === 'pool healthy');
    expect(pooled).toMatchObject({ status: 'FAIL', reason: 'failed (Error ECONNREFUSED)' });
  });

  it('fails audit when a row breaks the hash chain, naming the row', async () => {
    const before = await evaluateReadinessGate(inputs());
    expect(before.areas[4]).toMatchObject({ area: 'AUDIT', status: 'PASS' });
    await database.db.execute(
      sql`insert into audit_events (action, subject_type, decision, hash, prev_hash) values ('report.create', 'Report', 'ALLOW', ${'f'.repeat(64)}, ${'e'.repeat(64)})`,
    );
    const after = await evaluateReadinessGate(inputs());
    expect(after.areas[4]).toMatchObject({ area: 'AUDIT', status: 'FAIL', reason: expect.stringMatching(/^chain verifies: row \d+: /) });
  });
});
