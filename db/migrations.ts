/**
 * Applies the committed drizzle-kit migrations (db/migrations) and tells whether a database
 * has all of them, for readiness.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { DatabaseHandle, Schema } from './client.ts';
import { rows } from './rows.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

function latestMigrationMillis(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as Journal;
  return Math.max(...journal.entries.map((entry) => entry.when));
}

export async function applyMigrations(handle: DatabaseHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  // The two migrators are the same drizzle dialect code; only their database types differ.
  if (handle.driver === 'pglite') {
    // Imported only when embedded, like PGlite itself (db/client.ts).
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(handle.db as unknown as PgliteDatabase<Schema>, config);
  } else {
    await migratePostgres(handle.db as unknown as PostgresJsDatabase<Schema>, config);
  }
}

/** True when the newest committed migration has been applied to this database. */
export async function migrationsAreCurrent(handle: DatabaseHandle): Promise<boolean> {
  const [table] = await rows<{ present: boolean }>(
    handle.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table?.present) return false;
  const [applied] = await rows<{ latest: string | null }>(
    handle.db,
    sql`select max(created_at)::text as latest from drizzle.__drizzle_migrations`,
  );
  return applied?.latest != null && Number(applied.latest) >= latestMigrationMillis();
}
