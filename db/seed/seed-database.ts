/**
 * The seed pipeline behind `npm run seed`: generate an org, keep its snapshot as a file (the same
 * file can be imported elsewhere or fed to ORG_SNAPSHOT), import it, then add reports. Timed per
 * step, because the point of seeding large orgs is usually to measure something.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { desc } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { orgImports } from '../schema.ts';
import { importOrgSnapshot } from '../../org/import.ts';
import { generateOrg } from './org.ts';
import { generateReports, insertReports } from './reports.ts';

export interface SeedOptions {
  readonly people: number;
  readonly reports: number;
  readonly seed: number;
  readonly depth?: number;
  /** Default: one more than the sequence in force, so that re-seeding applies a new org. */
  readonly sequence?: number;
  /** Where the snapshot JSON goes. */
  readonly out: string;
  /** The snapshot's generatedAt and the end of the reports' year (default: now, so org data is fresh). */
  readonly now?: Date;
}

export interface SeedOutcome {
  readonly sequence: number;
  readonly importStatus: 'applied' | 'unchanged';
  readonly people: number;
  readonly orgUnits: number;
  readonly reports: number;
  readonly timingsMs: {
    readonly generateOrg: number;
    readonly writeSnapshot: number;
    readonly importOrg: number;
    readonly generateReports: number;
    readonly insertReports: number;
  };
}

export async function seedDatabase(db: Database, options: SeedOptions): Promise<SeedOutcome> {
  const now = options.now ?? new Date();
  const sequence = options.sequence ?? (await nextSequence(db));
  const timer = stopwatch();

  const snapshot = generateOrg({
    people: options.people,
    seed: options.seed,
    depth: options.depth,
    sequence,
    generatedAt: now.toISOString(),
  });
  const generateOrgMs = timer.lap();

  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(snapshot)}\n`);
  const writeSnapshotMs = timer.lap();

  const imported = await importOrgSnapshot(db, snapshot, { source: 'seed' });
  const importOrgMs = timer.lap();

  // A seed derived from the org's, so that --seed alone fixes both and they stay independent streams.
  const rows = generateReports(snapshot, { count: options.reports, seed: `${options.seed}:reports`, now });
  const generateReportsMs = timer.lap();
  const inserted = await insertReports(db, rows);
  const insertReportsMs = timer.lap();

  return {
    sequence,
    importStatus: imported.status,
    people: snapshot.people.length,
    orgUnits: snapshot.orgUnits.length,
    reports: inserted,
    timingsMs: {
      generateOrg: generateOrgMs,
      writeSnapshot: writeSnapshotMs,
      importOrg: importOrgMs,
      generateReports: generateReportsMs,
      insertReports: insertReportsMs,
    },
  };
}

async function nextSequence(db: Database): Promise<number> {
  const [latest] = await db.select({ sequence: orgImports.sequence }).from(orgImports).orderBy(desc(orgImports.sequence)).limit(1);
  return (latest?.sequence ?? 0) + 1;
}

function stopwatch() {
  let last = performance.now();
  return {
    lap(): number {
      const current = performance.now();
      const elapsed = Math.round(current - last);
      last = current;
      return elapsed;
    },
  };
}
