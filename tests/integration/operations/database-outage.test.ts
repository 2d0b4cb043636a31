/**
 * The database going away and coming back, and a saturated pool, through a loopback TCP proxy
 * the test controls between the gateway and PostgreSQL (never by stopping the shared server):
 * an outage answers 503 + Retry-After and recovers without a restart; a wait for a pooled
 * connection past DATABASE_ACQUIRE_TIMEOUT_MS answers 503 instead of hanging.
 *
 * Saturation needs no test-only code path in the gateway: the proxy stalls the connections
 * (queries sent, no answer), so the requests holding them stay in flight, exactly as slow
 * queries would, and the next request waits at the pool gate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';
import { personaToken } from '../../support/graphql-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.ts';
import { parsePrometheus, samplesNamed } from '../../unit/telemetry/prometheus-text.ts';
import { eventually, graphql } from './helpers.ts';

const ME = 'query Me { me { kind person { id } } }';
const ACQUIRE_TIMEOUT_MS = 400;

describe.runIf(postgresUrl !== undefined)('database outage and pool deadline (PostgreSQL through a TCP proxy)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let gateway: GatewayProcess;
  let token: string;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await loadDemoData(database.db);
    const target = new URL(database.url as string);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    gateway = await startGatewayProcess({
      AUTH_MODE: 'dev',
      DATABASE_URL: proxy.urlFor(database.url as string),
      DATABASE_POOL_MAX: '2',
      DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
      USAGE_FLUSH_INTERVAL_S: '3600',
    });
    token = await personaToken(gateway.url, 'builder');
  });
  afterAll(async () => {
    proxy?.setMode('up');
    await gateway?.stop();
    await proxy?.close();
    await database?.close();
  });

  it('answers 503 with Retry-After while the database is down, and recovers by itself', async () => {
    expect((await graphql(gateway.url, token, ME)).status).toBe(200);
    proxy.setMode('down');
    const during = await graphql(gateway.url, token, ME);
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(during.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(during.body)).not.toMatch(/127\.0\.0\.1|ECONN|postgres/);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect(gateway.logs.some((line) => line.outcome === 'SERVICE_UNAVAILABLE' && line.status === 503)).toBe(true);

    proxy.setMode('up');
    const after = await eventually(async () => {
      const answer = await graphql(gateway.url, token, ME);
      return answer.status === 200 ? answer : undefined;
    });
    expect(after.body.data).toEqual({ me: { kind: 'PERSON', person: { id: 'p-alan' } } });
    // The pool reconnects by itself; readiness follows within a few seconds (postgres.js retries
    // a connection that failed during the outage on its own schedule).
    await eventually(async () => ((await fetch(`${gateway.url}/readyz`)).status === 200 ? true : undefined));
  });

  it('fails a request with 503 once the wait for a pooled connection passes the deadline, and serves the held ones afterwards', async () => {
    // Both pooled connections open and healthy first.
    await eventually(async () => {
      const answers = await Promise.all([graphql(gateway.url, token, ME), graphql(gateway.url, token, ME)]);
      return answers.every((answer) => answer.status === 200) ? true : undefined;
    }, 20_000);
    proxy.setMode('stalled');
    const held = [graphql(gateway.url, token, ME), graphql(gateway.url, token, ME)];
    await eventually(async () => {
      const samples = parsePrometheus(await (await fetch(`${gateway.url}/metrics`)).text());
      return samplesNamed(samples, 'gateway_db_pool_in_use_connections')[0]?.value === 2 ? true : undefined;
    });
    const started = Date.now();
    const refused = await graphql(gateway.url, token, ME);
    const waitedMs = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(waitedMs).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 50);
    expect(waitedMs).toBeLessThan(ACQUIRE_TIMEOUT_MS + 1500);

    proxy.setMode('up');
    for (const answer of await Promise.all(held)) expect(answer.status).toBe(200);
    expect((await graphql(gateway.url, token, ME)).status).toBe(200);
  });
});
