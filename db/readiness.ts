/** What the database must offer before the gateway takes traffic (DESIGN §7, /readyz). */
import { count, desc } from 'drizzle-orm';
import type { DatabaseHandle, Executor } from './client.ts';
import { migrationsAreCurrent } from './migrations.ts';
import { PoolDeadlineError } from './pool-gate.ts';
import { auditEvents, orgImports } from './schema.ts';

/** A readiness check resolves when ready and rejects otherwise. */
export type ReadinessCheck = () => Promise<void>;

/** A failure whose message is safe to show on /readyz; any other error shows as "unavailable". */
export class NotReady extends Error {}

export function databaseReadinessChecks(handle: DatabaseHandle): Record<string, ReadinessCheck> {
  return {
    database: async () => {
      try {
        await handle.ping();
      } catch (error) {
        if (error instanceof PoolDeadlineError || (error instanceof Error && error.cause instanceof PoolDeadlineError)) {
          throw new NotReady('connection pool saturated');
        }
        throw error;
      }
    },
    migrations: async () => {
      if (!(await migrationsAreCurrent(handle))) throw new NotReady('pending migrations');
    },
    org: async () => {
      const [row] = await handle.db.select({ imports: count() }).from(orgImports);
      if (!row || row.imports === 0) throw new NotReady('no org snapshot imported');
    },
  };
}

export interface OrgInForce {
  readonly sequence: number;
  /** When the org source produced the snapshot: the age of the org data counts from here. */
  readonly generatedAt: Date;
  readonly importedAt: Date;
}

/** The org snapshot in force (the newest import), or undefined when none has been imported. */
export async function orgInForce(db: Executor): Promise<OrgInForce | undefined> {
  const [row] = await db
    .select({ sequence: orgImports.sequence, generatedAt: orgImports.generatedAt, importedAt: orgImports.importedAt })
    .from(orgImports)
    .orderBy(desc(orgImports.sequence))
    .limit(1);
  return row;
}

/** The newest audit event's id and hash (the chain head), or undefined while the log is empty. One index lookup. */
export async function auditHead(db: Executor): Promise<{ readonly id: number; readonly hash: string | null } | undefined> {
  const [row] = await db.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return row;
}
