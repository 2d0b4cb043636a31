/**
 * Database spans from the wrapped driver clients, on a real PGlite (and PostgreSQL when
 * DATABASE_URL is set): one span per statement drizzle sends, transactions included, in the
 * caller's trace, with no statement text or parameter values; the SQL counter agrees.
 */
import type { PGlite } from '@electric-sql/pglite';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import * as schema from '../../../db/schema.ts';
import { orgUnits } from '../../../db/schema.ts';
import { tracePgliteClient, tracePostgresClient } from '../../../telemetry/db-tracing.ts';
import { currentSqlCount, runWithSqlCounter, sqlCountingLogger } from '../../../telemetry/sql-counter.ts';
import { shutdownTracing, startTracing } from '../../../telemetry/tracing.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../../support/database.ts';

const exporter = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor({ exporter });
const PARAMETER_CANARY = 'parameter-canary-3e8b';

beforeAll(() => void startTracing({ spanProcessors: [processor] }));
afterAll(() => shutdownTracing());

async function finishedSpans(): Promise<ReadableSpan[]> {
  await processor.forceFlush();
  return exporter.getFinishedSpans();
}

function tracedDrizzle(database: TestDatabase): Database {
  const client = (database.db as unknown as { $client: object }).$client;
  return database.driver === 'pglite'
    ? (drizzlePglite({ client: tracePgliteClient(client as PGlite), schema, logger: sqlCountingLogger }) as unknown as Database)
    : (drizzlePostgres({ client: tracePostgresClient(client as Sql), schema, logger: sqlCountingLogger }) as unknown as Database);
}

/** Runs `fn` under a parent span (the request), returning its span id with the result. */
function inRequest<T>(fn: () => Promise<T>): Promise<{ result: T; parent: string }> {
  return trace.getTracer('test').startActiveSpan('request', async (span) => {
    try {
      return { result: await fn(), parent: span.spanContext().spanId };
    } finally {
      span.end();
    }
  });
}

describe.each(drivers)('database spans on $name', ({ name, available }) => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    db = tracedDrizzle(database);
  });
  afterAll(async () => database?.close());
  beforeEach(() => exporter.reset());

  describe.runIf(available)('through the wrapped client', () => {
    it('makes one span per statement, under the caller’s span, without text or parameters', async () => {
      const { result, parent } = await inRequest(() =>
        runWithSqlCounter(async () => {
          const rows = await db.execute(sql`select ${PARAMETER_CANARY}::text as echoed`);
          await db.select().from(orgUnits);
          return { rows, count: currentSqlCount() };
        }),
      );
      expect(JSON.stringify(result.rows)).toContain(PARAMETER_CANARY); // the query really ran with it

      const spans = (await finishedSpans()).filter((span) => span.name !== 'request');
      expect(spans.map((span) => span.name)).toEqual(['SELECT', 'SELECT']);
      expect(result.count).toBe(spans.length);
      for (const span of spans) {
        expect(span.parentSpanContext?.spanId).toBe(parent);
        expect(span.attributes).toEqual({ 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' });
      }
      expect(JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events, span.status]))).not.toContain(PARAMETER_CANARY);
    });

    it('spans statements inside transactions and savepoints', async () => {
      const { result: count } = await inRequest(() =>
        runWithSqlCounter(async () => {
          await db.transaction(async (tx) => {
            await tx.select().from(orgUnits);
            await tx.transaction(async (nested) => {
              await nested.execute(sql`select 1`);
            });
            await tx.execute(sql`update org_units set name = name where false`);
          });
          return currentSqlCount();
        }),
      );
      const names = (await finishedSpans()).filter((span) => span.name !== 'request').map((span) => span.name);
      // The three statements drizzle sends are spanned on both drivers.
      expect(names.filter((spanName) => spanName === 'SELECT')).toHaveLength(2);
      expect(names).toContain('UPDATE');
      expect(count).toBeGreaterThanOrEqual(3);
    });

    it('marks a failing statement as an error, keeping the driver’s message out of the span', async () => {
      await expect(db.execute(sql`select * from no_such_table_${sql.raw(PARAMETER_CANARY.replace(/-/g, '_'))}`)).rejects.toThrow();
      const [span] = await finishedSpans();
      expect(span?.name).toBe('SELECT');
      expect(span?.status.code).toBe(2);
      expect(JSON.stringify(span?.status)).not.toContain('no_such_table');
    });
  });
});
