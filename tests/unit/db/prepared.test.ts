/**
 * Reads prepared once per scope and shape (db/prepared.ts), on a real PGlite (and PostgreSQL
 * when DATABASE_URL is set): a statement is reused only for the same scope objects and shape,
 * never across scopes whose conditions differ, and never inside a transaction, where it must
 * run on the transaction's connection and see its uncommitted rows.
 */
import { asc, eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedPerExecution, prepareStatement, PREPARED_READS_PER_DATABASE, preparedRead, type PreparedRead } from '../../../db/prepared.ts';
import { listReports } from '../../../db/repositories/reports.ts';
import { orgUnits, reports } from '../../../db/schema.ts';
import { scopeCondition, where, type Scope } from '../../../db/scope.ts';
import { openDatabase, type DatabaseHandle, type Executor } from '../../../db/client.ts';
import { drivers, openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';

const UNITS = [
  { id: 'u-a1', name: 'Alpha one', kind: 'a' },
  { id: 'u-a2', name: 'Alpha two', kind: 'a' },
  { id: 'u-b1', name: 'Beta one', kind: 'b' },
];

/** Units of the scope among the ids given: the shape every by-id read has. */
function unitsRead(db: Executor, scope: Scope) {
  return preparedRead(db, { scopes: [scope], shape: 'test units' }, () =>
    db
      .select({ id: orgUnits.id })
      .from(orgUnits)
      .where(sql`${orgUnits.id} = any(${sql.placeholder('ids')}::text[]) and ${scopeCondition(scope)}`)
      .orderBy(asc(orgUnits.id))
      .prepare('test_units'),
  );
}

const idsOf = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

describe.each(drivers)('prepared reads on $name', ({ name, available }) => {
  let database: TestDatabase;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    await database.db.insert(orgUnits).values(UNITS);
  });
  afterAll(() => database?.close());

  it.skipIf(!available)('reuses the statement for the same scope and shape, with each call’s values', async () => {
    const kindA = where(eq(orgUnits.kind, 'a'));
    const first = unitsRead(database.db, kindA);
    expect(unitsRead(database.db, kindA)).toBe(first);
    expect(idsOf(await first.execute({ ids: ['u-a1', 'u-b1'] }))).toEqual(['u-a1']);
    expect(idsOf(await first.execute({ ids: ['u-a1', 'u-a2', 'u-b1'] }))).toEqual(['u-a1', 'u-a2']);
    expect(idsOf(await first.execute({ ids: [] }))).toEqual([]);
  });

  it.skipIf(!available)('builds one statement per scope object: equal shapes, different conditions, different rows', async () => {
    const kindA = where(eq(orgUnits.kind, 'a'));
    const kindB = where(eq(orgUnits.kind, 'b'));
    const everything = ['u-a1', 'u-a2', 'u-b1'];
    expect(idsOf(await unitsRead(database.db, kindA).execute({ ids: everything }))).toEqual(['u-a1', 'u-a2']);
    expect(idsOf(await unitsRead(database.db, kindB).execute({ ids: everything }))).toEqual(['u-b1']);
    // A second scope object with the same condition is another viewer's: its own statement.
    expect(unitsRead(database.db, where(eq(orgUnits.kind, 'a')))).not.toBe(unitsRead(database.db, kindA));
  });

  it.skipIf(!available)('builds afresh inside a transaction, which sees its own uncommitted rows', async () => {
    const all = where(sql`true`);
    const outside = unitsRead(database.db, all);
    let seenInside: string[] = [];
    await database.db
      .transaction(async (tx) => {
        await tx.insert(orgUnits).values({ id: 'u-new', name: 'New', kind: 'a' });
        const inside = unitsRead(tx, all);
        expect(inside).not.toBe(outside);
        expect(unitsRead(tx, all)).not.toBe(inside);
        seenInside = idsOf(await inside.execute({ ids: ['u-new'] }));
        tx.rollback();
      })
      .catch((error: unknown) => (error instanceof TransactionRollbackError ? undefined : Promise.reject(error)));
    expect(seenInside).toEqual(['u-new']);
    expect(idsOf(await outside.execute({ ids: ['u-new'] }))).toEqual([]);
  });
});

describe('prepared reads, kept per database', () => {
  it('keeps the most recent PREPARED_READS_PER_DATABASE and builds older ones again', () => {
    const db = {} as Executor;
    const scope = where(sql`true`);
    let builds = 0;
    const read = (shape: string): PreparedRead<number> =>
      preparedRead(db, { scopes: [scope], shape }, () => {
        builds += 1;
        return { execute: async () => builds };
      });
    for (let index = 0; index <= PREPARED_READS_PER_DATABASE; index += 1) read(`shape ${index}`);
    expect(builds).toBe(PREPARED_READS_PER_DATABASE + 1);
    read(`shape ${PREPARED_READS_PER_DATABASE}`);
    expect(builds).toBe(PREPARED_READS_PER_DATABASE + 1);
    read('shape 0');
    expect(builds).toBe(PREPARED_READS_PER_DATABASE + 2);
  });

  it('keys nothing without a key: every call builds', () => {
    const db = {} as Executor;
    let builds = 0;
    const build = () => {
      builds += 1;
      return { execute: async () => builds };
    };
    preparedRead(db, undefined, build);
    preparedRead(db, undefined, build);
    expect(builds).toBe(2);
  });
});

/**
 * What PostgreSQL is sent (pg_prepared_statements of the one connection): reads kept here are
 * named, so under plan_cache_mode auto they may keep a generic plan; a statement opened by
 * plannedPerExecution is sent unnamed, planned with its values every time; a page's LIMIT is
 * in its text, so a generic plan of the page knows how few rows it needs.
 */
describe('statements as PostgreSQL receives them', () => {
  let database: TestDatabase;
  let single: DatabaseHandle;

  beforeAll(async () => {
    if (!postgresUrl) return;
    database = await openTestDatabase('postgres');
    await database.db.insert(orgUnits).values(UNITS);
    single = await openDatabase({ driver: 'postgres', url: database.url!, poolMax: 1 }, { planCacheMode: 'auto' });
  });
  afterAll(async () => {
    await single?.close();
    await database?.close();
  });

  const named = async () =>
    (await single.postgresClient!<{ statement: string }[]>`select statement from pg_prepared_statements`).map((row) => row.statement);

  it.skipIf(!postgresUrl)('names a kept read and sends one planned per execution unnamed, both with the right rows', async () => {
    const kept = prepareStatement<{ id: string }>(single.db, sql`select id from org_units where kind = ${sql.placeholder('kind')} and id <> 'named-marker'`, 'test_kept');
    const planned = prepareStatement<{ id: string }>(
      single.db,
      plannedPerExecution(sql`select id from org_units where kind = ${sql.placeholder('kind')} and id <> 'unnamed-marker'`),
      'test_planned',
    );
    expect(idsOf(await kept.execute({ kind: 'b' }))).toEqual(['u-b1']);
    expect(idsOf((await planned.execute({ kind: 'a' })).sort((a, b) => a.id.localeCompare(b.id)))).toEqual(['u-a1', 'u-a2']);
    const statements = await named();
    expect(statements.some((text) => text.includes('named-marker'))).toBe(true);
    expect(statements.some((text) => text.includes('unnamed-marker'))).toBe(false);
  });

  it.skipIf(!postgresUrl)('writes a page’s limit into its text: one statement per page size, no parameter for it', async () => {
    // A statement without parameters goes by the simple protocol, never named: the scope has one.
    const scope = where(eq(reports.authorId, 'p-nobody'));
    await listReports(single.db, scope, { first: 2 });
    await listReports(single.db, scope, { first: 3 });
    const pages = (await named()).filter((text) => /from "reports"/.test(text) && /order by/.test(text));
    expect(pages.map((text) => /limit (\S+)$/.exec(text.trim())?.[1]).sort()).toEqual(['3', '4']);
  });
});
