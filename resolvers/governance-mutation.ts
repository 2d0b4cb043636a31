/**
 * How a governance mutation runs, on the model of report-workflow.ts: one transaction; a refusal
 * by policy (FORBIDDEN, or NOT_FOUND for a missing or hidden object) is audited as DENY and
 * committed; invalid input or a state that does not allow the change (BAD_USER_INPUT) is thrown
 * inside the transaction, so it rolls back and writes nothing, audit included; a change is
 * audited as ALLOW in the same transaction. The caller checks in DESIGN §4's order.
 */
import { appendAuditEvent } from '../db/audit.ts';
import type { Transaction } from '../db/client.ts';
import { BadUserInputError } from '../errors.ts';
import type { GatewayContext } from '../schema/context.ts';
import { auditActor } from './audit-actor.ts';

/** What the audit events of one mutation are about. */
export interface AuditTarget {
  /** Dotted action, e.g. `breakglass.start`. */
  readonly action: string;
  readonly subjectType: string;
}

/** A refusal the transaction commits (its DENY event, or a change already audited) before it is thrown. */
export class Refusal {
  constructor(
    readonly error: Error,
    readonly audit: { readonly reason: string; readonly subjectId: string | null } | undefined,
  ) {}
}

/** Refused by policy: audited as DENY. */
export function deny(error: Error, reason: string, subjectId: string | null = null): Refusal {
  return new Refusal(error, { reason, subjectId: subjectId?.slice(0, 200) ?? null });
}

/** Refused after the transaction recorded (and audited) what happened itself. */
export function refuseAfterCommit(error: Error): Refusal {
  return new Refusal(error, undefined);
}

/** Invalid input or state: thrown, so the transaction rolls back with nothing written. */
export function invalid(message: string): never {
  throw new BadUserInputError(message);
}

export async function allow(
  tx: Transaction,
  context: GatewayContext,
  target: AuditTarget,
  event: { subjectId: string; reason?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await appendAuditEvent(tx, {
    ...auditActor(context),
    action: target.action,
    subjectType: target.subjectType,
    subjectId: event.subjectId,
    decision: 'ALLOW',
    reason: event.reason ?? null,
    details: event.details ?? {},
  });
}

export async function governedMutation<T>(
  context: GatewayContext,
  target: AuditTarget,
  work: (tx: Transaction) => Promise<T | Refusal>,
): Promise<T> {
  const outcome = await context.db.transaction(async (tx) => {
    const result = await work(tx);
    if (result instanceof Refusal && result.audit) {
      await appendAuditEvent(tx, {
        ...auditActor(context),
        action: target.action,
        subjectType: target.subjectType,
        subjectId: result.audit.subjectId,
        decision: 'DENY',
        reason: result.audit.reason,
      });
    }
    return result;
  });
  if (outcome instanceof Refusal) throw outcome.error;
  return outcome;
}

/** The person id of a person caller (policy has already decided that one is acting). */
export function actorId(context: GatewayContext): string {
  if (context.viewer.kind !== 'person') throw new Error('a governance change needs a person as its actor');
  return context.viewer.personId;
}
