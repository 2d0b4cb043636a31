/**
 * `npm run org:import -- FILE`: applies an org snapshot directly (an operator with database
 * access; the GraphQL path is staged for a second admin). Exit codes: 0 applied or unchanged,
 * 1 rejected (the org in force is unchanged), 2 usage.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrations.ts';
import { databaseTargetFromEnv } from '../../db/target.ts';
import { importOrgSnapshot, OrgSnapshotRejected } from '../import.ts';

const [file, ...extra] = process.argv.slice(2);
if (!file || extra.length > 0) {
  process.stderr.write('usage: npm run org:import -- FILE\n');
  process.exit(2);
}

const path = resolve(file);
let text: string;
try {
  text = await readFile(path, 'utf8');
} catch (error) {
  process.stderr.write(`cannot read ${path}: ${(error as Error).message}\n`);
  process.exit(2);
}

const target = databaseTargetFromEnv();
const database = await openDatabase(target);
let exitCode = 0;
try {
  // The embedded database has no migration Job; PostgreSQL must be migrated beforehand.
  if (target.driver === 'pglite') await applyMigrations(database);
  const started = Date.now();
  const result = await importOrgSnapshot(database.db, text, { source: `cli:${path}` });
  process.stdout.write(
    `org snapshot ${result.sequence} ${result.status}: ${result.people} people, ${result.orgUnits} org units, ` +
      `${result.deactivated} deactivated, hash ${result.snapshotHash} (${Date.now() - started} ms)\n`,
  );
} catch (error) {
  if (!(error instanceof OrgSnapshotRejected)) throw error;
  process.stderr.write(`${error.message}\nThe org in force is unchanged.\n`);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
