/**
 * The one way audit events are written. Callers pass the transaction that makes the change the
 * event records, so the event commits or rolls back with it.
 *
 * Appends are serialised by a transaction-scoped advisory lock, so that with several replicas
 * writing at once each row links to the one committed before it; the lock is held until the
 * caller's transaction ends, which orders appends by commit.
 */
import { desc, sql } from 'drizzle-orm';
import { auditRowHash, GENESIS_HASH } from './audit-chain.ts';
import type { Executor } from './client.ts';
import { rows } from './rows.ts';
import { auditEvents, type NewAuditEventRow } from './schema.ts';

export type AuditEventInput = Omit<NewAuditEventRow, 'id' | 'occurredAt' | 'hash' | 'prevHash'>;

/** pg_advisory_xact_lock key of the audit chain (bulk writers of seed data take it too). */
export const AUDIT_CHAIN_LOCK = 0x0a0d17;

export async function appendAuditEvent(executor: Executor, event: AuditEventInput): Promise<void> {
  await executor.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [head] = await executor
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  // The id is part of what the hash covers, so it is drawn before the insert.
  const [next] = await rows<{ id: number }>(executor, sql`select nextval(pg_get_serial_sequence('audit_events', 'id')) as id`);
  const id = Number(next?.id);
  const row = {
    actorId: null,
    actorSubject: null,
    subjectId: null,
    reason: null,
    requestId: null,
    traceId: null,
    policyVersion: null,
    details: {},
    ...event,
    id,
    occurredAt: new Date(),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  await executor.insert(auditEvents).values({ ...row, hash: auditRowHash(row) });
}
