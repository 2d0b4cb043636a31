/** METRICS_PORT (DESIGN §7): /metrics on its own port, and then not on the main one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config.ts';
import { personaToken } from '../../support/graphql-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { parsePrometheus, samplesNamed } from '../../unit/telemetry/prometheus-text.ts';
import { freePort, graphql } from './helpers.ts';

describe('metrics on METRICS_PORT', () => {
  let gateway: GatewayProcess;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://', METRICS_PORT: String(metricsPort) });
  });
  afterAll(async () => gateway?.stop());

  it('serves /metrics there, counting the main port’s requests', async () => {
    const token = await personaToken(gateway.url, 'builder');
    expect((await graphql(gateway.url, token, 'query Me { me { kind } }')).status).toBe(200);
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const requests = samplesNamed(parsePrometheus(await response.text()), 'gateway_requests_total');
    expect(requests).toContainEqual(expect.objectContaining({ labels: { operation: 'Me', client: 'other', outcome: 'ok' }, value: 1 }));
    expect(gateway.logs.find((line) => line.message === 'listening')).toMatchObject({ metricsPort });
  });

  it('does not serve /metrics on the main port, nor GraphQL or probes on the metrics port', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(404);
  });

  it('refuses a METRICS_PORT equal to PORT', () => {
    expect(() => loadConfig({ AUTH_MODE: 'dev', PORT: '9100', METRICS_PORT: '9100' })).toThrow(ConfigError);
    expect(() => loadConfig({ AUTH_MODE: 'dev', PORT: '9100', METRICS_PORT: '9100' })).toThrow(/METRICS_PORT: must differ from PORT/);
  });
});

describe('operations configuration', () => {
  it('reads KNOWN_CLIENTS, DATABASE_ACQUIRE_TIMEOUT_MS and USAGE_FLUSH_INTERVAL_S with defaults', () => {
    expect(loadConfig({ AUTH_MODE: 'dev' })).toMatchObject({
      databaseAcquireTimeoutMs: 2000,
      telemetry: { knownClients: [], usageFlushIntervalS: 60 },
    });
    expect(
      loadConfig({ AUTH_MODE: 'dev', KNOWN_CLIENTS: ' insights-web, dashboards ,', DATABASE_ACQUIRE_TIMEOUT_MS: '250', USAGE_FLUSH_INTERVAL_S: '5' }),
    ).toMatchObject({ databaseAcquireTimeoutMs: 250, telemetry: { knownClients: ['insights-web', 'dashboards'], usageFlushIntervalS: 5 } });
    expect(() => loadConfig({ AUTH_MODE: 'dev', DATABASE_ACQUIRE_TIMEOUT_MS: '0' })).toThrow(/DATABASE_ACQUIRE_TIMEOUT_MS/);
    expect(loadConfig({ AUTH_MODE: 'dev' }).databasePrepare).toBe(true);
    expect(loadConfig({ AUTH_MODE: 'dev', DATABASE_PREPARE: 'false' }).databasePrepare).toBe(false);
    expect(() => loadConfig({ AUTH_MODE: 'dev', DATABASE_PREPARE: 'sometimes' })).toThrow(/DATABASE_PREPARE/);
    expect(() => loadConfig({ AUTH_MODE: 'dev', USAGE_FLUSH_INTERVAL_S: 'often' })).toThrow(/USAGE_FLUSH_INTERVAL_S/);
  });
});
