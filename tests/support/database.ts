/**
 * Real databases for tests: an in-memory PGlite, or a fresh database created on the PostgreSQL
 * server of DATABASE_URL (dropped afterwards). Both get the committed migrations.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { IN_MEMORY, openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrations.ts';

export type DriverName = 'pglite' | 'postgres';

/** The PostgreSQL server tests may use, or undefined when only PGlite is available. */
export const postgresUrl: string | undefined = process.env.DATABASE_URL || undefined;

/** Drivers to run a suite on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const drivers: { name: DriverName; available: boolean }[] = [
  { name: 'pglite', available: true },
  { name: 'postgres', available: postgresUrl !== undefined },
];

export interface TestDatabase extends DatabaseHandle {
  /** A URL for other processes (PostgreSQL only). */
  readonly url: string | undefined;
}

export async function openTestDatabase(driver: DriverName, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (driver === 'pglite') {
    const handle = await openDatabase({ driver: 'pglite', dataDir: IN_MEMORY });
    if (migrate) await applyMigrations(handle);
    return { ...handle, url: undefined };
  }
  if (!postgresUrl) throw new Error('DATABASE_URL is not set: PostgreSQL tests cannot run');
  const name = `bi_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ driver: 'postgres', url: url.toString(), poolMax: 5 });
  if (migrate) await applyMigrations(handle);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const cleanup = postgres(postgresUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
