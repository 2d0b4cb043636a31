/**
 * Loads the demo org and its reports into a database that has no org yet (`npm start` on a fresh
 * embedded database). A database that has ever imported an org is left alone, so this is safe to
 * run at every start and never mixes demo people into a real org.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { orgImports } from '../schema.ts';
import { importOrgSnapshot } from '../../org/import.ts';
import { demoSnapshot } from './demo.ts';
import { demoReports } from './demo-reports.ts';
import { insertReports } from './reports.ts';

/** Serialises demo loading across processes sharing a database (pg_advisory_xact_lock key). */
const DEMO_LOCK_KEY = 0x0b1_de40;

export async function loadDemoData(db: Database): Promise<'loaded' | 'already-present'> {
  // One transaction for the org and the reports: a failure leaves an empty database that the next
  // start fills, never an org without its reports that would then count as "already present".
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK_KEY})`);
    const [anyImport] = await tx.select({ sequence: orgImports.sequence }).from(orgImports).limit(1);
    if (anyImport) return 'already-present';
    const snapshot = demoSnapshot();
    // A transaction is a Database for the importer: its own transaction becomes a savepoint.
    await importOrgSnapshot(tx, snapshot, { source: 'demo' });
    await insertReports(tx, demoReports(snapshot));
    return 'loaded';
  });
}
