/**
 * The one way audit events are written. Callers pass the transaction that makes the change the
 * event records, so the event commits or rolls back with it.
 */
import type { Executor } from './client.ts';
import { auditEvents, type NewAuditEventRow } from './schema.ts';

export type AuditEventInput = Omit<NewAuditEventRow, 'id' | 'occurredAt' | 'hash' | 'prevHash'>;

export async function appendAuditEvent(executor: Executor, event: AuditEventInput): Promise<void> {
  await executor.insert(auditEvents).values(event);
}
