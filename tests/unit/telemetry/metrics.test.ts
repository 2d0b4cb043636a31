import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, REQUEST_DURATION_BUCKETS_S, type GatewayMetrics } from '../../../telemetry/metrics.ts';
import { parsePrometheus, samplesNamed, scrape, type Sample } from './prometheus-text.ts';

const opened: GatewayMetrics[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((metrics) => metrics.shutdown()));
});

function metricsWith(options: Partial<Parameters<typeof createMetrics>[0]> = {}): GatewayMetrics {
  const metrics = createMetrics({
    operationNames: () => new Set(['ReportList', 'OrgChart']),
    knownClients: new Set(['insights-web', 'dashboards']),
    ...options,
  });
  opened.push(metrics);
  return metrics;
}

async function samplesOf(metrics: GatewayMetrics): Promise<Sample[]> {
  const { status, body } = await scrape(metrics.handler);
  expect(status).toBe(200);
  return parsePrometheus(body);
}

const labelKey = (sample: Sample) => JSON.stringify(sample.labels);

describe('createMetrics', () => {
  it('counts requests by operation, client and outcome', async () => {
    const metrics = metricsWith();
    metrics.recordRequest({ operation: 'ReportList', client: 'insights-web', outcome: 'ok', durationMs: 12 });
    metrics.recordRequest({ operation: 'ReportList', client: 'insights-web', outcome: 'ok', durationMs: 30 });
    metrics.recordRequest({ operation: 'OrgChart', client: 'dashboards', outcome: 'FORBIDDEN', durationMs: 4 });

    const requests = samplesNamed(await samplesOf(metrics), 'gateway_requests_total');
    expect(requests).toHaveLength(2);
    expect(requests).toContainEqual({
      name: 'gateway_requests_total',
      labels: { operation: 'ReportList', client: 'insights-web', outcome: 'ok' },
      value: 2,
    });
    expect(requests).toContainEqual({
      name: 'gateway_requests_total',
      labels: { operation: 'OrgChart', client: 'dashboards', outcome: 'FORBIDDEN' },
      value: 1,
    });
  });

  it('records durations in a seconds histogram with the declared buckets', async () => {
    const metrics = metricsWith();
    for (const durationMs of [3, 40, 40, 700, 20_000]) {
      metrics.recordRequest({ operation: 'ReportList', client: 'insights-web', outcome: 'ok', durationMs });
    }
    const samples = await samplesOf(metrics);
    const buckets = samplesNamed(samples, 'gateway_request_duration_seconds_bucket');
    const les = buckets.map((bucket) => bucket.labels.le);
    expect(les).toEqual([...REQUEST_DURATION_BUCKETS_S.map(String), '+Inf']);
    const cumulative = (le: string) => buckets.find((bucket) => bucket.labels.le === le)?.value;
    expect(cumulative('0.005')).toBe(1); // 3 ms
    expect(cumulative('0.025')).toBe(1);
    expect(cumulative('0.05')).toBe(3); // + 40 ms twice
    expect(cumulative('1')).toBe(4); // + 700 ms
    expect(cumulative('10')).toBe(4);
    expect(cumulative('+Inf')).toBe(5); // + 20 s
    expect(samplesNamed(samples, 'gateway_request_duration_seconds_count')[0]?.value).toBe(5);
    expect(samplesNamed(samples, 'gateway_request_duration_seconds_sum')[0]?.value).toBeCloseTo(20.783, 6);
  });

  it('counts unregistered operations and unknown clients as other, keeping label cardinality bounded', async () => {
    const metrics = metricsWith();
    for (let i = 0; i < 1000; i += 1) {
      metrics.recordRequest({
        operation: `Op${randomBytes(6).toString('hex')}`,
        client: `client-${randomBytes(6).toString('hex')}`,
        outcome: i % 2 === 0 ? 'ok' : `WEIRD_${randomBytes(3).toString('hex').toUpperCase()}`,
        durationMs: 1,
      });
    }
    metrics.recordRequest({ operation: 'ReportList', client: undefined, outcome: 'ok', durationMs: 1 });
    metrics.recordRequest({ operation: null, client: 'dashboards', outcome: 'ok', durationMs: 1 });
    metrics.recordRequest({ operation: undefined, client: 'dashboards', outcome: 'ok', durationMs: 1 });

    const samples = await samplesOf(metrics);
    const requests = samplesNamed(samples, 'gateway_requests_total');
    expect(new Set(requests.map(labelKey)).size).toBe(requests.length);
    const keyOf = (labels: Readonly<Record<string, string>>) => `${labels.operation}|${labels.client}|${labels.outcome}`;
    expect(requests.map((sample) => keyOf(sample.labels)).sort()).toEqual(
      ['ReportList|other|ok', 'anonymous|dashboards|ok', 'other|dashboards|ok', 'other|other|ok', 'other|other|other'].sort(),
    );
    const random = requests.filter((sample) => sample.labels.operation === 'other' && sample.labels.client === 'other');
    expect(random.reduce((sum, sample) => sum + sample.value, 0)).toBe(1000);
    // The whole exposition stays small: no series per random name.
    expect(samples.length).toBeLessThan(100);
  });

  it('reads operation names on every request, so newly registered operations get their own label', async () => {
    const registered = new Set(['ReportList']);
    const metrics = metricsWith({ operationNames: () => registered });
    metrics.recordRequest({ operation: 'NewOne', client: 'dashboards', outcome: 'ok', durationMs: 1 });
    registered.add('NewOne');
    metrics.recordRequest({ operation: 'NewOne', client: 'dashboards', outcome: 'ok', durationMs: 1 });
    const operations = samplesNamed(await samplesOf(metrics), 'gateway_requests_total').map((s) => s.labels.operation);
    expect(operations.sort()).toEqual(['NewOne', 'other']);
  });

  it('counts authz decisions, token failures, JWKS refreshes and audit append latency', async () => {
    const metrics = metricsWith();
    metrics.recordAuthzDecision({ subject: 'Report', action: 'read', decision: 'allow' });
    metrics.recordAuthzDecision({ subject: 'Report', action: 'read', decision: 'allow' });
    metrics.recordAuthzDecision({ subject: 'AuditEvent', action: 'read', decision: 'deny' });
    metrics.recordTokenFailure('expired');
    metrics.recordTokenFailure('bad signature\nwith newline'); // not label-shaped
    metrics.recordJwksRefresh('ok');
    metrics.recordJwksRefresh('error');
    metrics.recordAuditAppend(3);

    const samples = await samplesOf(metrics);
    expect(samplesNamed(samples, 'gateway_authz_decisions_total')).toEqual(
      expect.arrayContaining([
        { name: 'gateway_authz_decisions_total', labels: { subject: 'Report', action: 'read', decision: 'allow' }, value: 2 },
        { name: 'gateway_authz_decisions_total', labels: { subject: 'AuditEvent', action: 'read', decision: 'deny' }, value: 1 },
      ]),
    );
    expect(samplesNamed(samples, 'gateway_token_failures_total').map((s) => [s.labels.reason, s.value]).sort()).toEqual([
      ['expired', 1],
      ['other', 1],
    ]);
    expect(samplesNamed(samples, 'gateway_jwks_refreshes_total').map((s) => [s.labels.outcome, s.value]).sort()).toEqual([
      ['error', 1],
      ['ok', 1],
    ]);
    const audit = samplesNamed(samples, 'gateway_audit_append_duration_seconds_bucket');
    expect(audit.find((bucket) => bucket.labels.le === '0.0025')?.value).toBe(0);
    expect(audit.find((bucket) => bucket.labels.le === '0.005')?.value).toBe(1);
  });

  it('bounds labels fed by the gateway itself after a number of distinct values', async () => {
    const metrics = metricsWith();
    for (let i = 0; i < 500; i += 1) metrics.recordTokenFailure(`reason_${i}`);
    const reasons = samplesNamed(await samplesOf(metrics), 'gateway_token_failures_total');
    expect(reasons.length).toBeLessThanOrEqual(31);
    expect(reasons.find((s) => s.labels.reason === 'other')?.value).toBe(470);
  });

  it('publishes observed gauges at scrape time and skips readings that are absent or fail', async () => {
    let orgAge = 120;
    const metrics = metricsWith({
      observe: {
        jwksKeySetAgeSeconds: () => 42,
        orgDataAgeSeconds: () => orgAge,
        dbPool: async () => ({ inUse: 3, waiting: 1 }),
        breakGlassActiveSessions: () => undefined,
        auditChainHeadSeq: () => {
          throw new Error('database down');
        },
      },
    });
    let samples = await samplesOf(metrics);
    const value = (name: string) => samplesNamed(samples, name).map((sample) => sample.value);
    expect(value('gateway_jwks_key_set_age_seconds')).toEqual([42]);
    expect(value('gateway_org_data_age_seconds')).toEqual([120]);
    expect(value('gateway_db_pool_in_use_connections')).toEqual([3]);
    expect(value('gateway_db_pool_waiting_requests')).toEqual([1]);
    expect(value('gateway_break_glass_active_sessions')).toEqual([]);
    expect(value('gateway_audit_chain_head_seq')).toEqual([]);
    orgAge = 7200;
    samples = await samplesOf(metrics);
    expect(value('gateway_org_data_age_seconds')).toEqual([7200]);
  });

  it('serves the text format with service.name in target_info', async () => {
    const metrics = metricsWith();
    metrics.recordRequest({ operation: 'ReportList', client: 'insights-web', outcome: 'ok', durationMs: 1 });
    const { contentType, body } = await scrape(metrics.handler);
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('service_name="builder-insights-gateway"');
    expect(body).toMatch(/# TYPE gateway_request_duration_seconds histogram/);
  });
});
