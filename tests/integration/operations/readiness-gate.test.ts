/**
 * The rollout gate (`readiness` query for admins, `npm run readiness`), failing for each area
 * with its reason, passing when everything is in order, and /readyz staying ready through an
 * issuer outage (cached keys serve; only the gate says the issuer is down).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonas, type DemoPersona } from '../../../db/seed/demo.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';
import { personaToken } from '../../support/graphql-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaClaims, startOktaIssuer, type OktaIssuer } from '../../support/okta-issuer.ts';
import { graphql, runReadinessCli } from './helpers.ts';

const READINESS = `query Readiness { readiness { ready evaluatedAt areas { area status reason checks { name status reason } } } }`;

interface Area {
  area: string;
  status: string;
  reason: string;
  checks: { name: string; status: string; reason: string }[];
}
interface Report {
  ready: boolean;
  areas: Area[];
}

const persona = (key: string): DemoPersona => demoPersonas.find((each) => each.key === key) as DemoPersona;
const areaOf = (report: Report, name: string): Area => report.areas.find((area) => area.area === name) as Area;
const checkOf = (report: Report, area: string, name: string) => areaOf(report, area).checks.find((check) => check.name === name);

async function readiness(url: string, token: string): Promise<Report> {
  const answer = await graphql(url, token, READINESS);
  expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
  return answer.body.data?.readiness as Report;
}

/** An OTLP endpoint that accepts anything, so the trace exporter has somewhere to send. */
async function startCollector(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('the rollout gate of a development gateway (dev mode, PGlite, demo org)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
  });
  afterAll(async () => gateway?.stop());

  it('fails identity, org truth, runtime and telemetry with their reasons; the audit chain verifies', async () => {
    const report = await readiness(gateway.url, await personaToken(gateway.url, 'admin'));
    expect(report.ready).toBe(false);
    expect(report.areas.map((area) => [area.area, area.status])).toEqual([
      ['IDENTITY', 'FAIL'],
      ['ORG_TRUTH', 'FAIL'],
      ['RUNTIME', 'FAIL'],
      ['TELEMETRY', 'FAIL'],
      ['AUDIT', 'PASS'],
    ]);
    expect(checkOf(report, 'IDENTITY', 'issuer reachable')).toMatchObject({ status: 'SKIP' });
    expect(checkOf(report, 'IDENTITY', 'okta mode')).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/AUTH_MODE=dev/) });
    // The demo snapshot was generated on 2026-11-01: older than the default ORG_MAX_AGE_S of two days.
    expect(checkOf(report, 'ORG_TRUTH', 'snapshot imported')).toMatchObject({ status: 'PASS' });
    expect(checkOf(report, 'ORG_TRUTH', 'snapshot age')).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/limit ORG_MAX_AGE_S=172800 s/) });
    expect(checkOf(report, 'RUNTIME', 'migrations current')).toMatchObject({ status: 'PASS' });
    expect(checkOf(report, 'RUNTIME', 'pool healthy')).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/PGlite/) });
    expect(checkOf(report, 'TELEMETRY', 'trace exporter configured')).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/OTEL_/) });
    expect(checkOf(report, 'TELEMETRY', 'metrics served')).toMatchObject({ status: 'PASS' });
    expect(checkOf(report, 'AUDIT', 'chain verifies')?.reason).toMatch(/^(\d+ events chained, head \d+|no audit events yet)$/);
  });

  it('is for admins only: FORBIDDEN for an analyst and a builder', async () => {
    for (const key of ['analyst', 'builder']) {
      const answer = await graphql(gateway.url, await personaToken(gateway.url, key), READINESS);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(answer.body.data).toBeNull();
    }
  });
});

describe('an Okta gateway whose issuer goes down (PGlite, demo org)', () => {
  let issuer: OktaIssuer;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    issuer = await startOktaIssuer();
    gateway = await startGatewayProcess({ AUTH_MODE: 'okta', AUTH_ISSUER: issuer.issuer, PGLITE_DIR: 'memory://', DEMO_DATA: 'true', ORG_MAX_AGE_S: '315360000' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await issuer?.close();
  });

  it('stays ready and keeps serving on cached keys; only the gate reports the issuer unreachable, until it is back', async () => {
    const admin = await issuer.accessToken(personaClaims(persona('admin')));
    const up = await readiness(gateway.url, admin);
    expect(areaOf(up, 'IDENTITY')).toMatchObject({ status: 'PASS' });
    expect(checkOf(up, 'IDENTITY', 'keys fresh')?.reason).toMatch(/1 key\(s\), fetched \d+ s ago/);
    expect(areaOf(up, 'ORG_TRUTH').status).toBe('PASS');

    issuer.setAvailable(false);
    try {
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      const down = await readiness(gateway.url, admin);
      expect(areaOf(down, 'IDENTITY')).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/^issuer reachable: /) });
      expect(checkOf(down, 'IDENTITY', 'keys fresh')).toMatchObject({ status: 'PASS' });
      const builder = await graphql(gateway.url, await issuer.accessToken(personaClaims(persona('builder'))), 'query Me { me { kind } }');
      expect(builder.status).toBe(200);
      expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    } finally {
      issuer.setAvailable(true);
    }
    expect(areaOf(await readiness(gateway.url, admin), 'IDENTITY').status).toBe('PASS');
  });
});

describe.runIf(postgresUrl !== undefined)('a deployment fit for rollout (Okta, PostgreSQL, tracing, fresh org)', () => {
  let issuer: OktaIssuer;
  let collector: { url: string; close(): Promise<void> };
  let database: TestDatabase;
  let gateway: GatewayProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    issuer = await startOktaIssuer();
    collector = await startCollector();
    database = await openTestDatabase('postgres');
    await loadDemoData(database.db);
    env = {
      AUTH_MODE: 'okta',
      AUTH_ISSUER: issuer.issuer,
      DATABASE_URL: database.url as string,
      // The demo snapshot is a few weeks old: a generous limit stands for a fresh import.
      ORG_MAX_AGE_S: '315360000',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    };
    gateway = await startGatewayProcess(env);
  });
  afterAll(async () => {
    await gateway?.stop();
    await database?.close();
    await collector?.close();
    await issuer?.close();
  });

  const cliEnv = (): Record<string, string> => ({ ...env, PORT: new URL(gateway.url).port });

  it('passes every area, in the query and in `npm run readiness`', async () => {
    const report = await readiness(gateway.url, await issuer.accessToken(personaClaims(persona('admin'))));
    expect(report.areas.map((area) => [area.area, area.status])).toEqual([
      ['IDENTITY', 'PASS'],
      ['ORG_TRUTH', 'PASS'],
      ['RUNTIME', 'PASS'],
      ['TELEMETRY', 'PASS'],
      ['AUDIT', 'PASS'],
    ]);
    expect(report.ready).toBe(true);
    expect(checkOf(report, 'RUNTIME', 'pool healthy')?.reason).toMatch(/connections in use/);

    const cli = await runReadinessCli(cliEnv(), ['--json']);
    expect(cli.code, cli.stderr + cli.stdout).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as Report;
    expect(fromCli.ready).toBe(true);
    expect(fromCli.areas.map((area) => area.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
  });

  it('fails from the command line, exit 1, for the issuer down, telemetry missing, stale org data, or pending migrations', async () => {
    issuer.setAvailable(false);
    try {
      const cli = await runReadinessCli(cliEnv());
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/^rollout gate: FAIL/);
      expect(cli.stdout).toMatch(/FAIL IDENTITY: issuer reachable: /);
    } finally {
      issuer.setAvailable(true);
    }

    const { OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint, ...untraced } = cliEnv();
    const noTelemetry = await runReadinessCli(untraced, ['--metrics-url', 'http://127.0.0.1:9/metrics']);
    expect(noTelemetry.code).toBe(1);
    expect(noTelemetry.stdout).toMatch(/FAIL TELEMETRY: trace exporter configured: /);
    expect(noTelemetry.stdout).toMatch(/FAIL metrics served: /);

    const stale = await runReadinessCli({ ...cliEnv(), ORG_MAX_AGE_S: '3600' });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/FAIL ORG_TRUTH: snapshot age: generated \d+ s ago \(limit ORG_MAX_AGE_S=3600 s\)/);

    const unmigrated = await openTestDatabase('postgres', { migrate: false });
    try {
      const cli = await runReadinessCli({ ...cliEnv(), DATABASE_URL: unmigrated.url as string });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/FAIL RUNTIME: migrations current: pending migrations/);
      expect(cli.stdout).toMatch(/FAIL ORG_TRUTH: /);
    } finally {
      await unmigrated.close();
    }
  });
});

describe('`npm run readiness` without a usable deployment', () => {
  it('refuses to judge an embedded database from the command line, and names a bad configuration', async () => {
    const embedded = await runReadinessCli({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    expect(embedded.code).toBe(1);
    expect(embedded.stderr).toMatch(/needs PostgreSQL/);
    const bad = await runReadinessCli({ AUTH_MODE: 'saml' });
    expect(bad.code).toBe(78);
    expect(bad.stderr).toMatch(/AUTH_MODE/);
  });
});
