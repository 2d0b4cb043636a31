/**
 * The real start command, `node --import tsx --import ./telemetry/register.ts <app>`, against
 * an OTLP/HTTP (JSON) collector the test runs itself: http, graphql and db spans arrive with
 * service.name, no canary value reaches a span, log lines carry the trace id, probes make no
 * spans, and a dead collector never blocks requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = 'tests/integration/telemetry/fixtures/traced-app.ts';
const VARIABLE_CANARY = 'variable-canary-0b7e';
const INLINE_CANARY = 'inline-canary-e1c9';
const TOKEN_CANARY = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0b2tlbi1jYW5hcnkifQ.c2lnLWNhbmFyeQ';
const QUERY_CANARY = 'query-string-canary-44d2';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

interface Collector {
  readonly url: string;
  readonly bodies: string[];
  spans(): OtlpSpan[];
  close(): Promise<void>;
}

async function startCollector(): Promise<Collector> {
  const bodies: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    if (request.url === '/v1/traces') bodies.push(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    spans: () =>
      bodies.flatMap((body) => (JSON.parse(body) as OtlpExport).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface App {
  readonly url: string;
  readonly tracing: { enabled: boolean; reason: string };
  readonly child: ChildProcess;
  readonly stderr: () => string;
  stop(): Promise<number | null>;
}

const running: App[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.stop()));
});

function startApp(env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './telemetry/register.ts', FIXTURE], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start\n${stderr}`)), 30_000);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (!buffered.includes('\n') || !line) return;
      clearTimeout(timer);
      const started = JSON.parse(line) as { listening: number; tracing: App['tracing'] };
      const app: App = {
        url: `http://127.0.0.1:${started.listening}`,
        tracing: started.tracing,
        child,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      };
      running.push(app);
      resolve(app);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited with ${code}\n${stderr}`));
    });
  });
}

const graphqlPost = (url: string, requestId: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_CANARY}`, 'x-request-id': requestId },
    body: JSON.stringify({
      query: `query ReportPage($id: ID!) { report(id: $id, note: "${INLINE_CANARY}") { id title } }`,
      variables: { id: VARIABLE_CANARY },
    }),
  });

const attribute = (span: OtlpSpan | undefined, key: string) => span?.attributes?.find((a) => a.key === key)?.value;

describe('tracing started by telemetry/register.ts', () => {
  it('exports http, graphql and db spans in one trace, without values, and puts the trace id in log lines', async () => {
    const collector = await startCollector();
    try {
      const app = await startApp({
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      });
      expect(app.tracing).toEqual({ enabled: true, reason: 'OTEL_EXPORTER_OTLP_ENDPOINT is set' });

      const post = await graphqlPost(app.url, 'req-post');
      expect(await post.json()).toEqual({ data: { report: { id: VARIABLE_CANARY, title: `Report ${VARIABLE_CANARY}` } } });
      const search = new URLSearchParams({ query: `query Q { report(id: "${QUERY_CANARY}") { id } }`, variables: JSON.stringify({ x: QUERY_CANARY }) });
      const get = await fetch(`${app.url}/graphql?${search}`, { headers: { 'apollo-require-preflight': '1', 'x-request-id': 'req-get' } });
      expect(get.status).toBe(200);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const logs = (await (await fetch(`${app.url}/logs`)).json()) as string[];

      expect(await app.stop()).toBe(0); // SIGTERM flushes the batch
      const spans = collector.spans();
      const names = spans.map((span) => span.name);
      expect(names).toEqual(expect.arrayContaining(['POST', 'GET', 'query ReportPage', 'query Q', 'graphql.parse', 'graphql.validate', 'graphql.resolve report', 'SELECT']));
      expect(spans.filter((span) => attribute(span, 'url.path')?.stringValue === '/healthz')).toEqual([]);

      const resource = (JSON.parse(collector.bodies[0] as string) as OtlpExport).resourceSpans[0]?.resource.attributes;
      expect(resource?.find((a) => a.key === 'service.name')?.value.stringValue).toBe('builder-insights-gateway');

      // One trace from the HTTP server span down to the database span.
      const server = spans.find((span) => span.name === 'POST');
      const db = spans.find((span) => span.name === 'SELECT');
      expect(server?.parentSpanId || undefined).toBeUndefined();
      expect(db?.traceId).toBe(server?.traceId);
      expect(spans.find((span) => span.name === 'query ReportPage')?.traceId).toBe(server?.traceId);
      expect(attribute(db, 'db.system')?.stringValue).toBe('postgresql');

      // GET /graphql carries the operation in the URL: those parameters are redacted.
      const getSpan = spans.find((span) => span.name === 'GET');
      expect(attribute(getSpan, 'url.query')?.stringValue).toContain('variables=REDACTED');

      const everything = collector.bodies.join('\n');
      for (const canary of [VARIABLE_CANARY, INLINE_CANARY, TOKEN_CANARY, QUERY_CANARY]) expect(everything).not.toContain(canary);

      // Log lines written during the request carry its trace id.
      const entries = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      const requestLine = entries.find((entry) => entry.message === 'graphql request' && entry.requestId === 'req-post');
      expect(requestLine?.traceId).toBe(server?.traceId);
      expect(entries.find((entry) => entry.message === 'report loaded')?.traceId).toBe(server?.traceId);
      for (const canary of [VARIABLE_CANARY, INLINE_CANARY, TOKEN_CANARY]) expect(logs.join('\n')).not.toContain(canary);
    } finally {
      await collector.close();
    }
  });

  it('stays off without OTEL_* variables and still serves', async () => {
    const app = await startApp({});
    expect(app.tracing).toEqual({ enabled: false, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set' });
    expect((await graphqlPost(app.url, 'req-off')).status).toBe(200);
    const logs = (await (await fetch(`${app.url}/logs`)).json()) as string[];
    const line = logs.map((entry) => JSON.parse(entry) as Record<string, unknown>).find((entry) => entry.message === 'graphql request');
    expect(line).toMatchObject({ requestId: 'req-off', outcome: 'ok' });
    expect(line?.traceId).toBeUndefined();
    expect(await app.stop()).toBe(0);
  });

  it('never blocks requests when the collector is down', async () => {
    const collector = await startCollector();
    const deadUrl = collector.url;
    await collector.close(); // nothing listens there any more
    const app = await startApp({ OTEL_EXPORTER_OTLP_ENDPOINT: deadUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '10' });
    expect(app.tracing.enabled).toBe(true);
    const started = performance.now();
    const responses = await Promise.all(Array.from({ length: 30 }, (_unused, i) => graphqlPost(app.url, `dead-${i}`)));
    const elapsedMs = performance.now() - started;
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 30 }, () => 200));
    expect(elapsedMs).toBeLessThan(5_000);
    const stopStarted = performance.now();
    expect(await app.stop()).toBe(0);
    expect(performance.now() - stopStarted).toBeLessThan(15_000);
  });
});
