/**
 * `npm run seed -- --people N --reports M [--audit-events E] --seed S [--depth D] [--out FILE] [--sequence K]`:
 * generates an org (written to FILE), imports it into the configured database, adds M reports
 * and E audit events (continuing the hash chain), then vacuums and analyzes the seeded tables.
 * For development and benchmarks, never production data. Exit codes: 0 seeded, 1 failed (the
 * import was rejected, or the database refused), 2 usage or configuration.
 */
import { ConfigError } from '../../config.ts';
import { OrgSnapshotRejected } from '../../org/import.ts';
import { openDatabase, type DatabaseTarget } from '../client.ts';
import { applyMigrations } from '../migrations.ts';
import { parseSeedArguments, SEED_USAGE, UsageError, type SeedArguments } from '../seed/cli-args.ts';
import { seedDatabase, type SeedOutcome } from '../seed/seed-database.ts';
import { databaseTargetFromEnv } from '../target.ts';

async function main(argv: readonly string[]): Promise<number> {
  let args: SeedArguments;
  let target: DatabaseTarget;
  try {
    args = parseSeedArguments(argv);
    target = databaseTargetFromEnv();
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n\n${SEED_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(SEED_USAGE);
    return 0;
  }

  const database = await openDatabase(target);
  try {
    // Seeding targets development and benchmark databases, which have no migration Job.
    await applyMigrations(database);
    const outcome = await seedDatabase(database, args);
    process.stdout.write(`${summary(outcome, args, target)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof OrgSnapshotRejected)) throw error;
    process.stderr.write(`${error.message}\nNothing was seeded.\n`);
    return 1;
  } finally {
    await database.close();
  }
}

function summary(outcome: SeedOutcome, args: SeedArguments, target: DatabaseTarget): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
  const t = outcome.timingsMs;
  const writer = outcome.writer;
  return (
    `seeded ${describeTarget(target)}: org sequence ${outcome.sequence} ${outcome.importStatus} ` +
    `(${outcome.people} people, ${outcome.orgUnits} org units, seed ${args.seed}, snapshot ${args.out}), ` +
    `${outcome.reports} reports, ${outcome.auditEvents} audit events (${writer}) — generate org ${seconds(t.generateOrg)}, ` +
    `write ${seconds(t.writeSnapshot)}, import ${seconds(t.importOrg)}, generate reports ${seconds(t.generateReports)}, ` +
    `${writer} reports ${seconds(t.writeReports)}, generate audit events ${seconds(t.generateAuditEvents)}, ` +
    `${writer} audit events ${seconds(t.writeAuditEvents)}, vacuum analyze ${seconds(t.analyze)}`
  );
}

/** Names the database without its credentials. */
function describeTarget(target: DatabaseTarget): string {
  if (target.driver === 'pglite') return `pglite ${target.dataDir}`;
  const url = new URL(target.url);
  return `postgres ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
