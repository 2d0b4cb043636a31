/**
 * The seed's bulk writers on real databases: all or nothing (a refused row, a row that cannot
 * be encoded, a broken chain), the table's indexes and keys exactly as before whatever happens,
 * and the audit chain and its id sequence ready for the gateway's next append.
 */
import { asc, sql } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../db/audit.ts';
import { verifyAuditChain } from '../../../db/audit-verify.ts';
import { rows } from '../../../db/rows.ts';
import { auditEvents, type AuditEventRow } from '../../../db/schema.ts';
import { generateAuditEvents } from '../../../db/seed/audit-events.ts';
import { writeAuditEvents } from '../../../db/seed/audit-writers.ts';
import { copyInto } from '../../../db/seed/copy-stream.ts';
import { copyTable, text as textField } from '../../../db/seed/copy-text.ts';
import { generateOrg } from '../../../db/seed/org.ts';
import { writeReports } from '../../../db/seed/report-writers.ts';
import { generateReports, type SeedReportRow } from '../../../db/seed/reports.ts';
import { importOrgSnapshot } from '../../../org/import.ts';
import type { OrgSnapshot } from '../../../org/snapshot.ts';
import type { PostgresClient } from '../../../db/client.ts';
import { drivers, openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';

const now = new Date('2026-11-20T06:00:00.000Z');

/** The refusal's own message: drizzle (the PGlite path) wraps the database's error as its cause. */
async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown as Error & { cause?: Error },
  );
  if (!error) throw new Error('expected a refusal');
  return error.cause?.message ?? error.message;
}

describe.each(drivers)('bulk writers on $name', ({ name, available }) => {
  let database: TestDatabase;
  let snapshot: OrgSnapshot;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    snapshot = generateOrg({ people: 200, seed: 2, generatedAt: now.toISOString() });
    await importOrgSnapshot(database.db, snapshot, { source: 'test' });
  });
  afterAll(async () => database?.close());

  const count = async (table: 'reports' | 'audit_events') =>
    (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]?.n;

  /** Every index and constraint of the two tables, as the catalog prints them. */
  const definitions = async () =>
    (
      await rows<{ definition: string }>(
        database.db,
        sql`select indexdef as definition from pg_indexes where tablename in ('reports', 'audit_events')
            union all
            select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where conrelid in ('reports'::regclass, 'audit_events'::regclass)
            order by 1`,
      )
    ).map((row) => row.definition);

  it.runIf(available)('writes reports all or nothing, leaving indexes and keys as they were', async () => {
    const before = await definitions();
    const good = generateReports(snapshot, { count: 3000, seed: 1, now });
    // Only the foreign key check at the end of the statement can refuse this one, after all the data is sent.
    const unknownAuthor = [...good, { ...(good[0] as SeedReportRow), id: '00000000-0000-4000-8000-0000000000ff', authorId: 'p-nobody' }];
    expect(await refusal(writeReports(database, unknownAuthor))).toMatch(/violates foreign key constraint "reports_author_id_people_id_fk"/);
    const duplicate = [...good, good[1] as SeedReportRow];
    expect(await refusal(writeReports(database, duplicate))).toMatch(/duplicate key value violates unique constraint "reports_pkey"/);
    expect(await count('reports')).toBe(0);
    expect(await definitions()).toEqual(before);

    expect(await writeReports(database, good)).toBe(3000);
    expect(await count('reports')).toBe(3000);
    expect(await definitions()).toEqual(before);
    expect(await writeReports(database, [])).toBe(0);
  });

  it.runIf(available)('refuses a value no PostgreSQL text can hold, writing nothing', async () => {
    const before = await count('reports');
    const rows = generateReports(snapshot, { count: 2000, seed: 2, now });
    rows[1500] = { ...(rows[1500] as SeedReportRow), body: 'a\0b' };
    expect(await refusal(writeReports(database, rows))).toMatch(/NUL|0x00/);
    expect(await count('reports')).toBe(before);
  });

  it.runIf(available)('extends the audit chain from its head; the next append of the gateway follows on', async () => {
    const before = await definitions();
    const [head] = await database.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(head?.action).toBe('org.import');
    const written = await writeAuditEvents(database, ({ startId, prevHash }) => generateAuditEvents(snapshot, { count: 2500, seed: 5, now, startId, prevHash }));
    expect(written).toBe(2500);
    expect(await definitions()).toEqual(before);
    await appendAuditEvent(database.db, { action: 'test.after-seed', subjectType: 'Test', decision: 'ALLOW' });
    const ids = (await database.db.select({ id: auditEvents.id }).from(auditEvents).orderBy(asc(auditEvents.id))).map((row) => row.id);
    expect(ids).toEqual(Array.from({ length: 2502 }, (_, index) => index + 1));
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 2502 });
  });

  it.runIf(available)('refuses rows that do not continue the chain, writing none of them', async () => {
    const before = await count('audit_events');
    const gap = ({ startId, prevHash }: { startId: number; prevHash: string }) => {
      const rows = [...generateAuditEvents(snapshot, { count: 1500, seed: 6, now, startId, prevHash })];
      return rows.filter((row) => row.id !== startId + 1200);
    };
    await expect(writeAuditEvents(database, gap)).rejects.toThrow(/does not continue the chain/);
    const stale = () => generateAuditEvents(snapshot, { count: 10, seed: 6, now });
    await expect(writeAuditEvents(database, stale)).rejects.toThrow(/audit event 1 does not continue the chain/);
    expect(await count('audit_events')).toBe(before);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });
});

describe.runIf(postgresUrl !== undefined)('bulk audit writes beside the gateway (PostgreSQL)', () => {
  let database: TestDatabase;
  let snapshot: OrgSnapshot;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    snapshot = generateOrg({ people: 50, seed: 3, generatedAt: now.toISOString() });
    await importOrgSnapshot(database.db, snapshot, { source: 'test' });
  });
  afterAll(async () => database?.close());

  it('keeps one chain when the gateway appends during a COPY', async () => {
    let release: () => void = () => {};
    const started = new Promise<void>((resolve) => (release = resolve));
    function* slow(start: { startId: number; prevHash: string }): Generator<AuditEventRow> {
      release();
      yield* generateAuditEvents(snapshot, { count: 20_000, seed: 7, now, ...start });
    }
    const bulk = writeAuditEvents(database, slow);
    await started;
    // Takes the chain's lock: waits for the bulk write to commit, then links to its last row.
    const append = appendAuditEvent(database.db, { action: 'test.concurrent', subjectType: 'Test', decision: 'ALLOW' });
    await Promise.all([bulk, append]);
    const [last] = await database.db.select().from(auditEvents).orderBy(sql`${auditEvents.id} desc`).limit(1);
    expect(last?.action).toBe('test.concurrent');
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  /** A table of the test's own, so that nothing defers its foreign key. */
  const probe = pgTable('copy_probe', { id: text('id').primaryKey(), personId: text('person_id').notNull(), rank: text('rank').notNull() });
  const probeCopy = copyTable<typeof probe.$inferSelect>(probe, { id: textField, personId: textField, rank: textField });
  const probeRows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `r-${index}`, personId: snapshot.people[index % 50]!.id, rank: String(index) }));

  it('reports a COPY the server refuses, mid-stream or after the end of the data, and rolls it back (postgres.js #1173)', async () => {
    const client = database.postgresClient as PostgresClient;
    await client`create table copy_probe (id text primary key, person_id text not null references people (id), rank integer not null)`;
    const copy = (rows: Iterable<typeof probe.$inferSelect>) => client.begin((tx) => copyInto(tx, probeCopy, rows));
    // The foreign key is checked at the end of the statement: after CopyDone, where postgres.js would hang.
    const late = [...probeRows(30_000), { id: 'r-late', personId: 'p-nobody', rank: '1' }];
    await expect(copy(late)).rejects.toThrow(/violates foreign key constraint/);
    // A bad integer early on: refused while data is still being sent.
    const early = probeRows(30_000);
    early[10] = { ...early[10]!, rank: 'ten' };
    await expect(copy(early)).rejects.toThrow(/invalid input syntax for type integer/);
    // A value the encoder refuses: the COPY is abandoned from this side.
    const unencodable = probeRows(30_000);
    unencodable[20_000] = { ...unencodable[20_000]!, id: 'a\u0000b' };
    await expect(copy(unencodable)).rejects.toThrow(/NUL/);
    const [held] = await client<{ n: number }[]>`select count(*)::int as n from copy_probe`;
    expect(held?.n).toBe(0);
    expect(await copy(probeRows(1000))).toBe(1000);
    // Every pooled connection is still usable (none was left inside an aborted transaction).
    await Promise.all(Array.from({ length: 5 }, () => client`select 1`));
  });
});
