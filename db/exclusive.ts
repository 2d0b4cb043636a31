/**
 * Periodic work that one replica at a time should do (chain-head publication, usage flushes):
 * each run takes a transaction-scoped advisory lock without waiting; a replica that finds it
 * held skips this round. Transaction-scoped, so a pooled connection never keeps a stale lock.
 */
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './client.ts';
import { rows } from './rows.ts';

export const PERIODIC_LOCKS = {
  auditChainHead: 0x0a0d18,
  usageFlush: 0x0a0d19,
} as const;

/** Runs `work` when no other process holds `key`; resolves to undefined when skipped. */
export async function runExclusively<T>(db: Database, key: number, work: (tx: Transaction) => Promise<T>): Promise<T | undefined> {
  return db.transaction(async (tx) => {
    const [lock] = await rows<{ acquired: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${key}) as acquired`);
    return lock?.acquired ? work(tx) : undefined;
  });
}
