import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../db/audit-verify.ts';
import { rows } from '../../../db/rows.ts';
import { generateOrg } from '../../../db/seed/org.ts';
import { generateReports, insertReports, type SeedReportRow } from '../../../db/seed/reports.ts';
import { seedDatabase } from '../../../db/seed/seed-database.ts';
import { orgSnapshot } from '../../../org/snapshot.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../../support/database.ts';

const count = async (database: TestDatabase, table: 'people' | 'reports' | 'org_imports') =>
  (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]?.n;

describe.each(drivers)('seeding on $name', ({ name, available }) => {
  let database: TestDatabase;
  let directory: string;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    directory = await mkdtemp(join(tmpdir(), 'seed-test-'));
  });
  afterAll(async () => {
    await database?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it.runIf(available)('imports a generated org, writes its snapshot, adds reports and extends the audit chain', async () => {
    const out = join(directory, 'nested', 'org.json');
    const now = new Date('2026-11-20T06:00:00.000Z');
    const outcome = await seedDatabase(database, { people: 400, reports: 1500, auditEvents: 3000, seed: 5, out, now });
    expect(outcome).toMatchObject({
      sequence: 1,
      importStatus: 'applied',
      people: 400,
      reports: 1500,
      auditEvents: 3000,
      writer: name === 'postgres' ? 'COPY' : 'INSERT',
    });
    const written = orgSnapshot.parse(JSON.parse(await readFile(out, 'utf8')));
    expect(written).toEqual(generateOrg({ people: 400, seed: 5, sequence: 1, generatedAt: now.toISOString() }));
    expect(await count(database, 'people')).toBe(400);
    expect(await count(database, 'reports')).toBe(1500);
    // The import's own event, then the generated year.
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 3001 });
    // Report events are about the seeded reports.
    const [orphans] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_events where subject_type = 'Report' and subject_id is not null and subject_id::uuid not in (select id from reports)`,
    );
    expect(orphans?.n).toBe(0);
    // Vacuumed and analyzed: the planner has statistics, index-only scans a visibility map.
    const [analyzed] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from pg_stats where tablename = 'audit_events'`);
    expect(analyzed?.n).toBeGreaterThan(0);
    const [visible] = await rows<{ all: boolean }>(database.db, sql`select relallvisible = relpages and relpages > 0 as all from pg_class where relname = 'reports'`);
    expect(visible?.all).toBe(true);
  });

  it.runIf(available)('applies a re-seed as the next sequence, keeping people missing from it as inactive', async () => {
    const out = join(directory, 'org2.json');
    const outcome = await seedDatabase(database, { people: 300, reports: 10, auditEvents: 20, seed: 6, out });
    expect(outcome).toMatchObject({ sequence: 2, importStatus: 'applied', auditEvents: 20 });
    // A second seed continues the chain the first one left.
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 3001 + 1 + 20 });
    expect(await count(database, 'org_imports')).toBe(2);
    expect(await count(database, 'people')).toBe(400);
    const [inactive] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from people where not active and id in ('p-301', 'p-400')`);
    expect(inactive?.n).toBe(2);
  });

  it.runIf(available)('inserts reports all or nothing', async () => {
    const before = await count(database, 'reports');
    const snapshot = generateOrg({ people: 300, seed: 6 });
    const good = generateReports(snapshot, { count: 2500, seed: 1 });
    // The last chunk fails (unknown author): the chunks before it must not stay behind.
    const bad = [...good, { ...(good[0] as SeedReportRow), id: '00000000-0000-4000-8000-0000000000ff', authorId: 'p-nobody' }];
    await expect(insertReports(database.db, bad, { chunkSize: 1000 })).rejects.toThrow();
    expect(await count(database, 'reports')).toBe(before);
    expect(await insertReports(database.db, good.slice(0, 10))).toBe(10);
    expect(await insertReports(database.db, [])).toBe(0);
  });
});
