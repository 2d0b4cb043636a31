/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
 * In production a Kubernetes Job runs this with the migration role, which owns the schema.
 *
 * `--grant-to ROLE` then grants the gateway's runtime role what it needs and nothing more:
 * read and write on business tables, INSERT and SELECT only on the audit log.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../client.ts';
import { applyMigrations } from '../migrations.ts';
import { databaseTargetFromEnv } from '../target.ts';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const { values } = parseArgs({ options: { 'grant-to': { type: 'string' } } });
const grantee = values['grant-to'];
if (grantee !== undefined && !ROLE_NAME.test(grantee)) {
  process.stderr.write(`--grant-to: ${JSON.stringify(grantee)} is not a plain role name\n`);
  process.exit(2);
}

const target = databaseTargetFromEnv();
const database = await openDatabase(target);
try {
  const started = Date.now();
  await applyMigrations(database);
  if (grantee) await grantRuntimeRole(grantee);
  process.stdout.write(`migrations applied to ${target.driver} in ${Date.now() - started} ms\n`);
} finally {
  await database.close();
}

async function grantRuntimeRole(role: string): Promise<void> {
  const name = sql.identifier(role);
  await database.db.execute(sql`grant usage on schema public to ${name}`);
  await database.db.execute(sql`grant select, insert, update on all tables in schema public to ${name}`);
  await database.db.execute(sql`revoke update, delete, truncate on audit_events from ${name}`);
  await database.db.execute(sql`grant usage, select on all sequences in schema public to ${name}`);
  await database.db.execute(sql`grant usage on schema drizzle to ${name}`);
  await database.db.execute(sql`grant select on all tables in schema drizzle to ${name}`);
}
