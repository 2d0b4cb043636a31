/**
 * The seed pipeline behind `npm run seed`: generate an org, keep its snapshot as a file (the same
 * file can be imported elsewhere or fed to ORG_SNAPSHOT), import it, add reports, extend the
 * audit chain with a year of events, then vacuum and analyze what was written. Timed per step,
 * because the point of seeding large orgs is usually to measure something.
 *
 * Reports and audit events are generated as they are written (COPY on PostgreSQL, INSERT on
 * PGlite), so millions of rows never sit in memory together.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { desc, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../client.ts';
import { orgImports } from '../schema.ts';
import { importOrgSnapshot } from '../../org/import.ts';
import { generateAuditEvents } from './audit-events.ts';
import { writeAuditEvents } from './audit-writers.ts';
import { generateOrg } from './org.ts';
import { writeReports } from './report-writers.ts';
import { reportStream } from './reports.ts';
import { metered, stopwatch, type Meter } from './stopwatch.ts';

export interface SeedOptions {
  readonly people: number;
  readonly reports: number;
  /** Audit events appended to the chain (default 0). */
  readonly auditEvents?: number;
  readonly seed: number;
  readonly depth?: number;
  /** Default: one more than the sequence in force, so that re-seeding applies a new org. */
  readonly sequence?: number;
  /** Where the snapshot JSON goes. */
  readonly out: string;
  /** The snapshot's generatedAt and the end of the reports' and events' year (default: now, so org data is fresh). */
  readonly now?: Date;
}

export interface SeedOutcome {
  readonly sequence: number;
  readonly importStatus: 'applied' | 'unchanged';
  readonly people: number;
  readonly orgUnits: number;
  readonly reports: number;
  readonly auditEvents: number;
  /** How rows were written: COPY (PostgreSQL) or multi-row INSERT (PGlite). */
  readonly writer: 'COPY' | 'INSERT';
  /** Milliseconds per step. Generation runs inside the writes; it is measured there and not counted twice. */
  readonly timingsMs: {
    readonly generateOrg: number;
    readonly writeSnapshot: number;
    readonly importOrg: number;
    readonly generateReports: number;
    readonly writeReports: number;
    readonly generateAuditEvents: number;
    readonly writeAuditEvents: number;
    /** VACUUM (ANALYZE) of the seeded tables. */
    readonly analyze: number;
  };
}

/**
 * The tables a seed writes. VACUUM (ANALYZE) rather than ANALYZE alone: besides the planner's
 * statistics it fills the visibility map (index-only scans) and sets hint bits, work that
 * would otherwise fall on the first benchmark queries, or on an autovacuum started mid-run by
 * the million inserts.
 */
const SEEDED_TABLES = ['org_units', 'org_unit_closure', 'people', 'reporting_lines', 'org_imports', 'reports', 'audit_events'];

export async function seedDatabase(database: DatabaseHandle, options: SeedOptions): Promise<SeedOutcome> {
  const { db } = database;
  const now = options.now ?? new Date();
  const sequence = options.sequence ?? (await nextSequence(database));
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

  // Seeds derived from the org's, so that --seed alone fixes everything and the streams stay independent.
  const auditEventCount = options.auditEvents ?? 0;
  // Report events are about the seeded reports (kept as ids only: 36 bytes each).
  const reportIds: string[] = [];
  const reportMeter: Meter = { ms: 0 };
  const reportRows = metered(reportStream(snapshot, { count: options.reports, seed: `${options.seed}:reports`, now }), reportMeter);
  const reports = await writeReports(database, auditEventCount > 0 ? collectIds(reportRows, reportIds) : reportRows);
  const reportsMs = timer.lap();

  const auditMeter: Meter = { ms: 0 };
  const auditEvents =
    auditEventCount === 0
      ? 0
      : await writeAuditEvents(database, ({ startId, prevHash }) =>
          metered(generateAuditEvents(snapshot, { count: auditEventCount, seed: `${options.seed}:audit`, now, startId, prevHash, reportIds }), auditMeter),
        );
  const auditMs = timer.lap();

  await db.execute(sql.raw(`vacuum (analyze) ${SEEDED_TABLES.join(', ')}`));
  const analyzeMs = timer.lap();

  return {
    sequence,
    importStatus: imported.status,
    people: snapshot.people.length,
    orgUnits: snapshot.orgUnits.length,
    reports,
    auditEvents,
    writer: database.postgresClient ? 'COPY' : 'INSERT',
    timingsMs: {
      generateOrg: generateOrgMs,
      writeSnapshot: writeSnapshotMs,
      importOrg: importOrgMs,
      generateReports: reportMeter.ms,
      writeReports: reportsMs - reportMeter.ms,
      generateAuditEvents: auditMeter.ms,
      writeAuditEvents: auditMs - auditMeter.ms,
      analyze: analyzeMs,
    },
  };
}

function* collectIds<T extends { id: string }>(rows: Iterable<T>, ids: string[]): Generator<T> {
  for (const row of rows) {
    ids.push(row.id);
    yield row;
  }
}

async function nextSequence(database: DatabaseHandle): Promise<number> {
  const [latest] = await database.db.select({ sequence: orgImports.sequence }).from(orgImports).orderBy(desc(orgImports.sequence)).limit(1);
  return (latest?.sequence ?? 0) + 1;
}
