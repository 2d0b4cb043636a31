/** What the database must offer before the gateway takes traffic (DESIGN §7, /readyz). */
import { count } from 'drizzle-orm';
import type { DatabaseHandle } from './client.ts';
import { migrationsAreCurrent } from './migrations.ts';
import { orgImports } from './schema.ts';

/** A readiness check resolves when ready and rejects otherwise. */
export type ReadinessCheck = () => Promise<void>;

/** A failure whose message is safe to show on /readyz; any other error shows as "unavailable". */
export class NotReady extends Error {}

export function databaseReadinessChecks(handle: DatabaseHandle): Record<string, ReadinessCheck> {
  return {
    database: () => handle.ping(),
    migrations: async () => {
      if (!(await migrationsAreCurrent(handle))) throw new NotReady('pending migrations');
    },
    org: async () => {
      const [row] = await handle.db.select({ imports: count() }).from(orgImports);
      if (!row || row.imports === 0) throw new NotReady('no org snapshot imported');
    },
  };
}
