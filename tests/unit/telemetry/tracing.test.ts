/**
 * Tracing in-process, with an in-memory exporter: graphql spans exist and carry no values.
 * graphql and Apollo are imported only after startTracing(), as register.ts arranges in the
 * real process (this file runs in its own worker, so the SDK it starts is its own).
 */
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdownTracing, startTracing, statementKindOf, tracingStatus, withDbSpan } from '../../../telemetry/tracing.ts';

const exporter = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor({ exporter });
/** Spans reach the exporter asynchronously (resource detection): flush before reading. */
async function finishedSpans(): Promise<ReadableSpan[]> {
  await processor.forceFlush();
  return exporter.getFinishedSpans();
}
const VARIABLE_CANARY = 'variable-canary-c41e';
const INLINE_CANARY = 'inline-canary-5d20';
const RESULT_CANARY = 'result-canary-a9f1';

/** Every string an exported span carries: name, attributes, events, status. */
function textOf(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
      status: span.status,
    })),
  );
}

describe('tracing with span processors given', () => {
  beforeAll(() => {
    expect(startTracing({ spanProcessors: [processor] })).toEqual({ enabled: true, reason: 'span processors given' });
  });
  afterAll(() => shutdownTracing());

  it('creates graphql spans without variable values, inline arguments or results', async () => {
    const { ApolloServer } = await import('@apollo/server');
    const { buildSchema } = await import('graphql');
    const schema = buildSchema(`
      type Report { id: ID! title: String! }
      type Query { report(id: ID!, note: String): Report }
    `);
    const rootValue = {
      report: async ({ id }: { id: string }) => {
        await withDbSpan('SELECT', async () => undefined);
        return { id, title: RESULT_CANARY };
      },
    };
    const server = new ApolloServer({ schema, rootValue });
    await server.start();
    exporter.reset();
    const response = await server.executeOperation({
      query: `query ReportPage($id: ID!) { report(id: $id, note: "${INLINE_CANARY}") { id title } }`,
      variables: { id: VARIABLE_CANARY },
    });
    await server.stop();
    expect(JSON.stringify(response.body)).toContain(RESULT_CANARY);

    const spans = await finishedSpans();
    const names = spans.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'query ReportPage', 'graphql.resolve report', 'SELECT']));
    const text = textOf(spans);
    expect(text).not.toContain(VARIABLE_CANARY);
    expect(text).not.toContain(INLINE_CANARY);
    expect(text).not.toContain(RESULT_CANARY);

    const execute = spans.find((span) => span.name === 'query ReportPage');
    expect(execute?.attributes['graphql.operation.name']).toBe('ReportPage');
    // The source is kept for debugging, with the inline value replaced.
    expect(String(execute?.attributes['graphql.source'])).toMatch(/note:\s*"\*"/);

    // The database span is a child of the resolver span, in the same trace.
    const resolve = spans.find((span) => span.name === 'graphql.resolve report');
    const db = spans.find((span) => span.name === 'SELECT');
    expect(db?.parentSpanContext?.spanId).toBe(resolve?.spanContext().spanId);
    expect(db?.spanContext().traceId).toBe(execute?.spanContext().traceId);
    expect(db?.attributes).toEqual({ 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' });
  });

  it('marks a failed database call as an error with the error type only', async () => {
    exporter.reset();
    await expect(
      withDbSpan('INSERT', async () => {
        throw new TypeError(`duplicate key value ${VARIABLE_CANARY}`);
      }),
    ).rejects.toThrow(TypeError);
    const spans = await finishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['INSERT']);
    expect(spans[0]?.status).toEqual({ code: 2, message: 'TypeError' });
    expect(textOf(spans)).not.toContain(VARIABLE_CANARY);
  });

  it('makes the span active inside the wrapped call', async () => {
    const inside = await withDbSpan('SELECT', async () => trace.getSpan(context.active())?.spanContext().spanId);
    expect(inside).toBe((await finishedSpans()).at(-1)?.spanContext().spanId);
    expect(tracingStatus().enabled).toBe(true);
  });
});

describe('statementKindOf', () => {
  it.each([
    ['select 1', 'SELECT'],
    ['  INSERT into x values ($1)', 'INSERT'],
    ['/* drizzle */ update x set a = $1', 'UPDATE'],
    ['-- comment\ndelete from x', 'DELETE'],
    ['(select 1) union (select 2)', 'SELECT'],
    ['with t as (select 1) select * from t', 'WITH'],
    ['begin', 'BEGIN'],
    ['truncate x', 'OTHER'],
    ['', 'OTHER'],
  ])('%j is %s', (statement, kind) => {
    expect(statementKindOf(statement)).toBe(kind);
  });
});
