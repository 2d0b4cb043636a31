/**
 * The audit hash chain on real databases: appends link in order, the verifier finds every
 * tamper class (CATALOGUE E4) and raises no false alarm, and concurrent writers on PostgreSQL
 * still leave one linear chain.
 */
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../db/audit.ts';
import { auditChainHead, verifyAuditChain } from '../../../db/audit-verify.ts';
import { openDatabase } from '../../../db/client.ts';
import { auditEvents } from '../../../db/schema.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../../support/database.ts';

const event = (n: number) => ({ action: 'test.event', subjectType: 'Test', subjectId: String(n), decision: 'ALLOW' as const, details: { n } });

describe.each(drivers)('audit chain on $name', ({ name, available }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (available) database = await openTestDatabase(name);
  });
  afterAll(async () => database?.close());

  /** Runs a tampering statement with the append-only guard lifted, as a superuser could. */
  async function tamper(statements: ReturnType<typeof sql> | ReturnType<typeof sql>[]) {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger user`);
      for (const statement of [statements].flat()) await tx.execute(statement);
      await tx.execute(sql`alter table audit_events enable trigger user`);
    });
  }

  async function freshChain(length: number) {
    await tamper(sql`delete from audit_events`);
    for (let n = 1; n <= length; n += 1) await appendAuditEvent(database.db, event(n));
    return database.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
  }

  it.runIf(available)('links every row to the one before and verifies clean', async () => {
    const rows = await freshChain(30);
    expect(rows.map((row) => row.prevHash).slice(1)).toEqual(rows.map((row) => row.hash).slice(0, -1));
    const result = await verifyAuditChain(database.db, { id: rows.at(-1)!.id, hash: rows.at(-1)!.hash! });
    expect(result).toMatchObject({ ok: true, rows: 30 });
    expect(await auditChainHead(database.db)).toEqual({ head: { id: rows.at(-1)!.id, hash: rows.at(-1)!.hash }, rows: 30 });
  });

  it.runIf(available)('finds a modified field, a deleted row, reordering, a forged row and a cut tail', async () => {
    type Rows = { id: number; hash: string | null }[];
    const cases: [string, (rows: Rows) => ReturnType<typeof sql> | ReturnType<typeof sql>[], RegExp][] = [
      ['modified', (rows) => sql`update audit_events set decision = 'DENY' where id = ${rows[10]!.id}`, /hash mismatch/],
      ['deleted', (rows) => sql`delete from audit_events where id = ${rows[10]!.id}`, /broken link/],
      [
        'reordered',
        (rows) => [
          sql`update audit_events set id = -1 where id = ${rows[10]!.id}`,
          sql`update audit_events set id = ${rows[10]!.id} where id = ${rows[11]!.id}`,
          sql`update audit_events set id = ${rows[11]!.id} where id = -1`,
        ],
        /broken link|hash mismatch/,
      ],
      ['forged', (rows) => sql`insert into audit_events (id, action, subject_type, decision, hash, prev_hash) values (${rows[10]!.id + 1000}, 'x', 'X', 'ALLOW', ${'f'.repeat(64)}, ${rows.at(-1)!.hash})`, /hash mismatch/],
    ];
    for (const [label, statement, problem] of cases) {
      const rows = await freshChain(20);
      await tamper(statement(rows));
      const result = await verifyAuditChain(database.db);
      expect(result.ok, label).toBe(false);
      expect(result.ok ? '' : result.problem, label).toMatch(problem);
    }
    const rows = await freshChain(20);
    const published = { id: rows.at(-1)!.id, hash: rows.at(-1)!.hash! };
    await tamper(sql`delete from audit_events where id >= ${rows[17]!.id}`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(database.db, published)).toMatchObject({ ok: false, problem: expect.stringMatching(/tail/) });
  });

  it.runIf(available)('raises no alarm for ids skipped by rolled-back appends', async () => {
    await freshChain(5);
    for (let n = 0; n < 10; n += 1) {
      await database.db
        .transaction(async (tx) => {
          await appendAuditEvent(tx, event(100 + n));
          throw new Error('roll back');
        })
        .catch(() => undefined);
    }
    await appendAuditEvent(database.db, event(6));
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 6 });
  });

  it.runIf(available && name === 'postgres')('stays linear with four connections appending at once', async () => {
    await freshChain(0);
    const writers = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ driver: 'postgres', url: database.url!, poolMax: 4 })));
    try {
      await Promise.all(
        writers.flatMap((writer, w) =>
          Array.from({ length: 25 }, (_, n) => writer.db.transaction((tx) => appendAuditEvent(tx, event(w * 100 + n)))),
        ),
      );
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
    const rows = await database.db.select().from(auditEvents);
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(100);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 100 });
  });
});

describe.each(drivers)('append-only audit table on $name', ({ name, available }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (available) {
      database = await openTestDatabase(name);
      await appendAuditEvent(database.db, event(1));
    }
  });
  afterAll(async () => database?.close());

  it.runIf(available).each([
    ['UPDATE', sql`update audit_events set reason = 'edited'`],
    ['DELETE', sql`delete from audit_events`],
    ['TRUNCATE', sql`truncate audit_events`],
  ])('refuses %s, even to the table owner', async (_operation, statement) => {
    const error = await database.db.execute(statement).then(() => undefined, (thrown: unknown) => thrown as { cause?: { code?: string; message?: string } });
    expect(error?.cause?.code ?? (error as { code?: string })?.code).toBe('42501');
    expect(await database.db.select().from(auditEvents)).toHaveLength(1);
  });
});
