/**
 * Walks the audit chain in id order, in batches, and names the first row that breaks it. With
 * a checkpoint kept outside the database (the chain head published to logs and metrics), a
 * deleted tail is caught too: the head must still be there, unchanged.
 */
import { asc, count, desc, eq, gt } from 'drizzle-orm';
import { firstBreak, GENESIS_HASH, type ChainBreak } from './audit-chain.ts';
import type { Executor } from './client.ts';
import { auditEvents } from './schema.ts';

export interface ChainHead {
  readonly id: number;
  readonly hash: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly rows: number; readonly head: ChainHead | undefined }
  | { readonly ok: false; readonly rows: number; readonly problem: string; readonly id?: number };

const BATCH = 5000;

export async function verifyAuditChain(db: Executor, checkpoint?: ChainHead): Promise<VerifyResult> {
  let previous = GENESIS_HASH;
  let afterId = 0;
  let rows = 0;
  for (;;) {
    const batch = await db.select().from(auditEvents).where(gt(auditEvents.id, afterId)).orderBy(asc(auditEvents.id)).limit(BATCH);
    if (batch.length === 0) break;
    const broken: ChainBreak | undefined = firstBreak(batch, previous);
    if (broken) return { ok: false, rows, problem: `row ${broken.id}: ${broken.problem}`, id: broken.id };
    rows += batch.length;
    const last = batch[batch.length - 1]!;
    previous = last.hash ?? '';
    afterId = last.id;
  }
  if (checkpoint) {
    const [held] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.id, checkpoint.id));
    if (held?.hash !== checkpoint.hash) {
      return { ok: false, rows, problem: `checkpoint row ${checkpoint.id} is ${held ? 'changed' : 'missing'}: the tail was altered`, id: checkpoint.id };
    }
  }
  return { ok: true, rows, head: afterId === 0 ? undefined : { id: afterId, hash: previous } };
}

/** The chain head and row count, for publication outside the database. */
export async function auditChainHead(db: Executor): Promise<{ head: ChainHead | undefined; rows: number }> {
  const [last] = await db.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  const [total] = await db.select({ rows: count() }).from(auditEvents);
  return { head: last?.hash ? { id: last.id, hash: last.hash } : undefined, rows: total?.rows ?? 0 };
}
