import { Writable } from 'node:stream';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { ForbiddenError, maskError } from '../../../errors.ts';
import { createLogger } from '../../../telemetry/logger.ts';
import type { RequestRecord } from '../../../telemetry/metrics.ts';
import { recordRefusedRequest, requestTelemetryPlugin } from '../../../telemetry/request-plugin.ts';
import { UnauthenticatedError } from '../../../errors.ts';

interface TestContext {
  readonly requestId: string;
  readonly principal?: { readonly id: string; readonly roles: readonly string[] };
  readonly sql: { count: number };
}

const VARIABLE_CANARY = 'variable-canary-7f3a';
const INLINE_CANARY = 'inline-canary-91bd';
const SECRET_MESSAGE = 'connection to db-password-canary failed';

const schema = buildSchema(`
  type Report { id: ID! title: String! }
  type Query {
    report(id: ID!, note: String): Report
    forbidden: Report
    crash: Report
  }
`);

const rootValue = {
  report: ({ id }: { id: string }, context: TestContext) => {
    context.sql.count += 2;
    return { id, title: `Report ${id}` };
  },
  forbidden: () => {
    throw new ForbiddenError();
  },
  crash: () => {
    throw new Error(SECRET_MESSAGE);
  },
};

interface Harness {
  readonly server: ApolloServer<TestContext>;
  readonly lines: () => Record<string, unknown>[];
  readonly raw: () => string;
  readonly records: RequestRecord[];
}

const servers: ApolloServer<TestContext>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function harness(describePrincipal?: (context: TestContext) => { id?: string; roles: string[] }): Promise<Harness> {
  const chunks: string[] = [];
  const logger = createLogger({
    level: 'debug',
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
  });
  const records: RequestRecord[] = [];
  const server = new ApolloServer<TestContext>({
    schema,
    rootValue,
    formatError: maskError,
    plugins: [
      requestTelemetryPlugin<TestContext>({
        logger,
        metrics: { recordRequest: (record) => records.push(record) },
        requestId: (context) => context.requestId,
        describePrincipal:
          describePrincipal ?? ((context) => ({ id: context.principal?.id, roles: [...(context.principal?.roles ?? [])] })),
        sqlStatements: (context) => context.sql.count,
      }),
    ],
  });
  await server.start();
  servers.push(server);
  const raw = () => chunks.join('');
  return { server, records, raw, lines: () => raw().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function http(headers: Record<string, string> = {}) {
  const map = new HeaderMap();
  map.set('content-type', 'application/json');
  for (const [name, value] of Object.entries(headers)) map.set(name, value);
  return { method: 'POST', headers: map, search: '', body: {} };
}

const context = (requestId: string): TestContext => ({
  requestId,
  principal: { id: 'p-analyst', roles: ['analyst', 'viewer'] },
  sql: { count: 0 },
});

describe('requestTelemetryPlugin', () => {
  it('writes exactly one line per request with its fields, and no variables or inline arguments', async () => {
    const { server, lines, raw, records } = await harness();
    const response = await server.executeOperation(
      {
        query: `query ReportPage($id: ID!) { report(id: $id, note: "${INLINE_CANARY}") { id title } }`,
        variables: { id: VARIABLE_CANARY },
        operationName: 'ReportPage',
        http: http({ 'apollographql-client-name': 'insights-web', 'apollographql-client-version': '1.4.2' }),
      },
      { contextValue: context('req-1') },
    );
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeFalsy();

    const output = lines();
    expect(output).toHaveLength(1);
    expect(output[0]).toMatchObject({
      level: 'info',
      category: 'http',
      message: 'graphql request',
      requestId: 'req-1',
      operationName: 'ReportPage',
      operationType: 'query',
      clientName: 'insights-web',
      clientVersion: '1.4.2',
      principalId: 'p-analyst',
      roles: ['analyst', 'viewer'],
      outcome: 'ok',
      status: 200,
      sqlStatements: 2,
    });
    expect(typeof output[0]?.durationMs).toBe('number');
    expect(output[0]?.traceId).toBeUndefined(); // no tracing SDK in this test
    // The result carries the variable (the resolver echoes it); the log line must not.
    expect(raw()).not.toContain(VARIABLE_CANARY);
    expect(raw()).not.toContain(INLINE_CANARY);
    expect(raw()).not.toContain('query ReportPage');
    expect(records).toEqual([{ operation: 'ReportPage', client: 'insights-web', outcome: 'ok', durationMs: output[0]?.durationMs }]);
  });

  it('reports the code of the first error as the outcome', async () => {
    const { server, lines, records } = await harness();
    // Two errors: FORBIDDEN first, then a masked failure.
    await server.executeOperation({ query: 'query Denied { forbidden { id } crash { id } }', http: http() }, { contextValue: context('req-2') });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'info', outcome: 'FORBIDDEN', operationName: 'Denied', requestId: 'req-2' });
    expect(records[0]).toMatchObject({ operation: 'Denied', outcome: 'FORBIDDEN', client: undefined });
  });

  it('counts a masked failure as INTERNAL_SERVER_ERROR at warn level, without its message', async () => {
    const { server, lines, raw } = await harness();
    await server.executeOperation({ query: '{ crash { id } }', http: http() }, { contextValue: context('req-3') });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'warn', outcome: 'INTERNAL_SERVER_ERROR', operationType: 'query' });
    expect(lines()[0]?.operationName).toBeUndefined();
    expect(raw()).not.toContain(SECRET_MESSAGE);
  });

  it('logs parse and validation failures once each, with Apollo’s codes', async () => {
    const { server, lines, records } = await harness();
    await server.executeOperation({ query: `query Broken { report(id: "${INLINE_CANARY}" `, http: http() }, { contextValue: context('req-4') });
    await server.executeOperation({ query: 'query Unknown { nope }', http: http() }, { contextValue: context('req-5') });
    const output = lines();
    expect(output).toHaveLength(2);
    expect(output[0]).toMatchObject({ requestId: 'req-4', outcome: 'GRAPHQL_PARSE_FAILED', status: 400 });
    expect(output[1]).toMatchObject({ requestId: 'req-5', outcome: 'GRAPHQL_VALIDATION_FAILED', status: 400 });
    expect(JSON.stringify(output)).not.toContain(INLINE_CANARY);
    expect(records.map((record) => record.operation)).toEqual([undefined, undefined]);
  });

  it('passes null as the operation of an anonymous operation', async () => {
    const { server, records } = await harness();
    await server.executeOperation({ query: '{ report(id: "1") { id } }', http: http() }, { contextValue: context('req-6') });
    expect(records[0]?.operation).toBeNull();
  });

  it('still logs when describing the principal fails, and keeps a forged client name on one line', async () => {
    const { server, lines, raw } = await harness(() => {
      throw new Error('no principal');
    });
    const forged = 'web\r\n{"message":"forged"}';
    await server.executeOperation({ query: '{ report(id: "1") { id } }', http: http({ 'apollographql-client-name': forged }) }, { contextValue: context('req-7') });
    expect(raw().trim().split('\n')).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ requestId: 'req-7', roles: [], outcome: 'ok', clientName: forged });
    expect(lines()[0]?.principalId).toBeUndefined();
  });

  it('keeps concurrent requests apart: one line each, with their own counts', async () => {
    const { server, lines } = await harness();
    await Promise.all(
      Array.from({ length: 20 }, (_unused, i) =>
        server.executeOperation({ query: '{ report(id: "1") { id } }', http: http() }, { contextValue: { ...context(`c-${i}`), sql: { count: i } } }),
      ),
    );
    const output = lines();
    expect(output.map((line) => line.requestId).sort()).toEqual(Array.from({ length: 20 }, (_unused, i) => `c-${i}`).sort());
    for (const line of output) expect(line.sqlStatements).toBe(Number(String(line.requestId).slice(2)) + 2);
  });
});

describe('recordRefusedRequest', () => {
  it('logs and counts a request refused before GraphQL ran, with its HTTP status', () => {
    const chunks: string[] = [];
    const logger = createLogger({
      level: 'info',
      stream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk.toString());
          done();
        },
      }),
    });
    const records: RequestRecord[] = [];
    recordRefusedRequest(
      { logger, metrics: { recordRequest: (record) => records.push(record) } },
      {
        requestId: 'req-401',
        headers: { authorization: 'Bearer not-a-real-token-canary', 'apollographql-client-name': 'dashboards' },
        error: new UnauthenticatedError(true),
        startedAt: performance.now() - 5,
      },
    );
    expect(chunks.join('')).not.toContain('not-a-real-token-canary');
    expect(JSON.parse(chunks.join(''))).toMatchObject({ requestId: 'req-401', outcome: 'UNAUTHENTICATED', status: 401, clientName: 'dashboards' });
    expect(records).toEqual([expect.objectContaining({ operation: undefined, client: 'dashboards', outcome: 'UNAUTHENTICATED' })]);
  });
});
