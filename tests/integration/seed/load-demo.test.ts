import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../db/rows.ts';
import { DEMO_REPORT_COUNT } from '../../../db/seed/demo-reports.ts';
import { demoPersonas, demoSnapshot } from '../../../db/seed/demo.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { importOrgSnapshot } from '../../../org/import.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../../support/database.ts';

async function counts(database: TestDatabase) {
  const [row] = await rows<{ imports: number; people: number; units: number; reports: number; lines: number }>(
    database.db,
    sql`select (select count(*) from org_imports)::int as imports,
               (select count(*) from people)::int as people,
               (select count(*) from org_units)::int as units,
               (select count(*) from reports)::int as reports,
               (select count(*) from reporting_lines)::int as lines`,
  );
  return row;
}

describe.each(drivers)('loadDemoData on $name', ({ name, available }) => {
  let database: TestDatabase;

  beforeAll(async () => {
    if (available) database = await openTestDatabase(name);
  });
  afterAll(async () => {
    await database?.close();
  });

  it.runIf(available)('loads the demo org and reports into an empty database, once', async () => {
    expect(await loadDemoData(database.db)).toBe('loaded');
    const loaded = await counts(database);
    const snapshot = demoSnapshot();
    expect(loaded).toMatchObject({ imports: 1, people: snapshot.people.length, units: snapshot.orgUnits.length, reports: DEMO_REPORT_COUNT });
    expect(loaded?.lines).toBeGreaterThan(snapshot.people.length);

    expect(await loadDemoData(database.db)).toBe('already-present');
    expect(await counts(database)).toEqual(loaded);
  });

  it.runIf(available)('materialises the personas’ org as the policies will read it', async () => {
    const builder = demoPersonas.find((persona) => persona.key === 'builder');
    const manager = demoPersonas.find((persona) => persona.key === 'manager');
    if (builder?.kind !== 'person' || manager?.kind !== 'person') throw new Error('demo personas missing');
    const [line] = await rows<{ found: number }>(
      database.db,
      sql`select count(*)::int as found from reporting_lines where manager_id = ${manager.personId} and person_id = ${builder.personId}`,
    );
    expect(line?.found).toBe(1);
    const [own] = await rows<{ statuses: number }>(
      database.db,
      sql`select count(distinct status)::int as statuses from reports where author_id = ${builder.personId}`,
    );
    expect(own?.statuses).toBe(4);
  });
});

describe.each(drivers)('loadDemoData next to a real org on $name', ({ name, available }) => {
  let database: TestDatabase;

  beforeAll(async () => {
    if (available) database = await openTestDatabase(name);
  });
  afterAll(async () => {
    await database?.close();
  });

  it.runIf(available)('leaves a database that has imported any org alone', async () => {
    const real = { ...demoSnapshot(), sequence: 7, people: demoSnapshot().people.slice(0, 5) };
    await importOrgSnapshot(database.db, real, { source: 'test' });
    const before = await counts(database);
    expect(await loadDemoData(database.db)).toBe('already-present');
    expect(await counts(database)).toEqual(before);
    expect(before).toMatchObject({ imports: 1, people: 5, reports: 0 });
  });
});
