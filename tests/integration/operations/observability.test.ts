/**
 * Logs, metrics and usage analytics through the real gateway process (dev mode, PGlite):
 * no token ever reaches the output, /metrics counts with bounded labels, and usageStats
 * answers analysts and admins from the rollups the gateway flushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personaToken } from '../../support/graphql-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { parsePrometheus, samplesNamed } from '../../unit/telemetry/prometheus-text.ts';
import { eventually, graphql, today, tomorrow } from './helpers.ts';

// JWT-shaped canaries: a forged token, and one hidden in places a careless logger would print.
const CANARY = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImNhbmFyeSJ9.eyJzdWIiOiJjYW5hcnktNzcxMiJ9.Y2FuYXJ5LXNpZ25hdHVyZS03NzEy';
const CANARY_SIGNATURE = 'Y2FuYXJ5LXNpZ25hdHVyZS03NzEy';
const COOKIE_CANARY = 'session-cookie-canary-5d21';

describe('an observable gateway (dev mode, PGlite)', () => {
  let gateway: GatewayProcess;
  let stderr = '';
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await startGatewayProcess({
      AUTH_MODE: 'dev',
      PGLITE_DIR: 'memory://',
      LOG_LEVEL: 'debug',
      KNOWN_CLIENTS: 'insights-web,dashboards',
      USAGE_FLUSH_INTERVAL_S: '1',
    });
    gateway.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (const persona of ['builder', 'analyst', 'admin']) tokens[persona] = await personaToken(gateway.url, persona);
  });
  afterAll(async () => gateway?.stop());

  it('never writes a token, valid or forged, to its output, wherever the client put it', async () => {
    const me = 'query Me { me { kind } }';
    expect((await graphql(gateway.url, tokens.builder, me, { headers: { 'apollographql-client-name': 'insights-web' } })).status).toBe(200);
    expect((await graphql(gateway.url, CANARY, me)).status).toBe(401);
    expect(
      (await graphql(gateway.url, tokens.builder, me, { headers: { cookie: `sid=${COOKIE_CANARY}`, 'x-api-key': CANARY, 'apollographql-client-name': CANARY } }))
        .status,
    ).toBe(200);
    expect((await graphql(gateway.url, tokens.builder, me, { operationName: CANARY })).status).toBe(400);
    const viaQuery = await fetch(`${gateway.url}/graphql?access_token=${CANARY}&query=${encodeURIComponent('{ me { kind } }')}`);
    expect([400, 401]).toContain(viaQuery.status);
    await eventually(async () => (gateway.logs.filter((line) => String(line.message).startsWith('graphql request')).length >= 4 ? true : undefined));

    const output = `${JSON.stringify(gateway.logs)}\n${stderr}`;
    for (const secret of [CANARY, CANARY_SIGNATURE, COOKIE_CANARY, tokens.builder as string, (tokens.builder as string).split('.')[2] as string]) {
      expect(output).not.toContain(secret);
    }
    // The lines are there, with what operators need.
    const line = gateway.logs.find((entry) => entry.message === 'graphql request' && entry.clientName === 'insights-web');
    expect(line).toMatchObject({ operationName: 'Me', principalId: 'p-alan', outcome: 'ok', status: 200, category: 'http' });
    expect(typeof line?.sqlStatements).toBe('number');
    expect(gateway.logs.some((entry) => entry.message === 'graphql request refused' && entry.outcome === 'UNAUTHENTICATED')).toBe(true);
  });

  it('serves Prometheus metrics on the main port, labels bounded to registered operations and known clients', async () => {
    await graphql(gateway.url, tokens.builder, 'query RandomOperation9f2 { me { kind } }', { headers: { 'apollographql-client-name': 'curl-9f2' } });
    await graphql(gateway.url, tokens.builder, 'query Me { me { kind } }', { headers: { 'apollographql-client-name': 'dashboards' } });
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toMatch(/RandomOperation9f2|curl-9f2/);
    const samples = parsePrometheus(text);
    const requests = samplesNamed(samples, 'gateway_requests_total');
    expect(requests).toContainEqual(expect.objectContaining({ labels: { operation: 'Me', client: 'dashboards', outcome: 'ok' } }));
    expect(requests).toContainEqual(expect.objectContaining({ labels: { operation: 'other', client: 'other', outcome: 'ok' } }));
    expect(requests.some((sample) => sample.labels.outcome === 'UNAUTHENTICATED')).toBe(true);
    expect(samplesNamed(samples, 'gateway_request_duration_seconds_bucket').length).toBeGreaterThan(0);
    expect(samplesNamed(samples, 'gateway_token_failures_total').some((sample) => sample.value >= 1)).toBe(true);
    expect(samplesNamed(samples, 'gateway_jwks_refreshes_total')).toContainEqual(expect.objectContaining({ labels: { outcome: 'ok' } }));
    const orgAge = await eventually(async () => {
      const again = parsePrometheus(await (await fetch(`${gateway.url}/metrics`)).text());
      return samplesNamed(again, 'gateway_org_data_age_seconds')[0];
    });
    expect(orgAge.value).toBeGreaterThan(0);
  });

  it('answers usageStats to analysts and admins from the flushed rollups, and FORBIDDEN to others', async () => {
    for (let index = 0; index < 3; index += 1) {
      await graphql(gateway.url, tokens.builder, 'query Reports { reports(first: 1) { totalCount } }', { headers: { 'apollographql-client-name': 'insights-web' } });
    }
    const query = `query UsageStats($from: DateTime!, $to: DateTime!) {
      usageStats(from: $from, to: $to, groupBy: [OPERATION, CLIENT, ROLE]) { day operation client role requests errors p50Ms p95Ms maxMs meanMs }
    }`;
    const variables = { from: `${today()}T00:00:00Z`, to: `${tomorrow()}T00:00:00Z` };
    const bucket = await eventually(async () => {
      const answer = await graphql(gateway.url, tokens.analyst, query, { variables });
      const buckets = (answer.body.data?.usageStats ?? []) as Record<string, unknown>[];
      return buckets.find((each) => each.operation === 'Reports' && each.client === 'insights-web' && each.role === 'builder' && (each.requests as number) >= 3);
    });
    expect(bucket).toMatchObject({ day: null, errors: 0 });
    expect(bucket.p50Ms as number).toBeGreaterThan(0);
    expect(bucket.p95Ms as number).toBeLessThanOrEqual(bucket.maxMs as number);

    const admin = await graphql(gateway.url, tokens.admin, 'query { usageStats(from: "2026-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { requests } }');
    expect(admin.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const total = await graphql(gateway.url, tokens.admin, `query { usageStats(from: "${today()}T00:00:00Z", to: "${tomorrow()}T00:00:00Z") { requests day operation } }`);
    expect(total.body.data?.usageStats).toEqual([expect.objectContaining({ day: null, operation: null })]);
    const builder = await graphql(gateway.url, tokens.builder, query, { variables });
    expect(builder.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(builder.body.data).toBeNull();
  });
});
