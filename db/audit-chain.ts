/**
 * The audit log's hash chain (DESIGN §6): each row's hash is SHA-256 over the RFC 8785
 * canonical JSON of every column but the hash itself — the previous row's hash included — so
 * any edit, deletion, insertion or reordering breaks the chain from that row on.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEventRow } from './schema.ts';

/** The hash a chain starts from (there is no row before the first). */
export const GENESIS_HASH = '0'.repeat(64);

export type HashedColumns = Omit<AuditEventRow, 'hash'>;

export function auditRowHash(row: HashedColumns): string {
  const canonical = canonicalize({
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    actorSubject: row.actorSubject,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    decision: row.decision,
    reason: row.reason,
    requestId: row.requestId,
    traceId: row.traceId,
    policyVersion: row.policyVersion,
    details: row.details,
    prevHash: row.prevHash,
  });
  if (canonical === undefined) throw new TypeError('an audit row cannot be canonicalised');
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainBreak {
  readonly id: number;
  readonly problem: 'hash mismatch' | 'broken link';
}

/**
 * Walks rows in id order and returns the first break, or undefined. `previous` is the hash the
 * first row must link to (GENESIS_HASH for a full walk, or a checkpoint's head).
 */
export function firstBreak(rows: Iterable<AuditEventRow>, previous = GENESIS_HASH): ChainBreak | undefined {
  let expectedPrev = previous;
  for (const row of rows) {
    if (row.prevHash !== expectedPrev) return { id: row.id, problem: 'broken link' };
    if (row.hash !== auditRowHash(row)) return { id: row.id, problem: 'hash mismatch' };
    expectedPrev = row.hash;
  }
  return undefined;
}
