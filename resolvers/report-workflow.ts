/**
 * The report lifecycle (DESIGN §5) and how a transition runs: in one transaction, the report is
 * loaded within the caller's read scope and locked; then, in DESIGN §4's order, a missing or
 * hidden report is NOT_FOUND, an action policy refuses is FORBIDDEN (both audited as DENY and
 * committed), a state that does not allow it is BAD_USER_INPUT (not audited, nothing changed);
 * else the change is made and audited as ALLOW in the same transaction.
 *
 * Who may act is policy (policies/report.ts); from which state is this table.
 */
import { appendAuditEvent } from '../db/audit.ts';
import { findReport, updateReportRow, type ReportRecord } from '../db/repositories/reports.ts';
import type { NewReportRow, ReportRow } from '../db/schema.ts';
import type { Transaction } from '../db/client.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { canOnReport, reportScope } from '../policies/access.ts';
import type { GatewayContext } from '../schema/context.ts';
import { auditActor } from './audit-actor.ts';

export type Transition = 'update' | 'submit' | 'publish' | 'return' | 'archive';
type Status = ReportRow['status'];

export const ALLOWED_FROM: Readonly<Record<Transition, readonly Status[]>> = {
  update: ['DRAFT'],
  submit: ['DRAFT'],
  publish: ['IN_REVIEW'],
  return: ['IN_REVIEW'],
  archive: ['PUBLISHED'],
};

export type ReportChange = Partial<Omit<NewReportRow, 'id' | 'authorId' | 'orgUnitId' | 'createdAt'>>;

type Outcome = { kind: 'done'; record: ReportRecord } | { kind: 'refused'; error: Error };

/**
 * Runs a transition. `change` computes the new values from the locked report; the audit event
 * records which fields changed, never their content.
 */
export async function runTransition(
  context: GatewayContext,
  id: string,
  transition: Transition,
  change: (report: ReportRecord) => ReportChange,
): Promise<ReportRecord> {
  const outcome = await context.db.transaction(async (tx): Promise<Outcome> => {
    const report = await findReport(tx, id, reportScope(context.ability, 'read', 'probe'), { forUpdate: true });
    if (!report) return deny(tx, context, id, transition, new NotFoundError(`No report ${id}`), 'not found or not visible');
    if (!canOnReport(context.ability, transition, report)) {
      return deny(tx, context, id, transition, new ForbiddenError(`You may not ${transition} this report`), 'not permitted');
    }
    if (!ALLOWED_FROM[transition].includes(report.status)) {
      const allowed = ALLOWED_FROM[transition].join(' or ');
      return { kind: 'refused', error: new BadUserInputError(`Cannot ${transition} a report in ${report.status}; it must be ${allowed}`) };
    }
    const values = change(report);
    const changedFields = Object.keys(values).filter((field) => !sameValue(values[field as keyof ReportChange], report[field as keyof ReportRecord]));
    const updated = await updateReportRow(tx, id, values);
    await appendAuditEvent(tx, {
      ...auditActor(context),
      action: `report.${transition}`,
      subjectType: 'Report',
      subjectId: id,
      decision: 'ALLOW',
      details: { from: report.status, to: updated.status, fields: changedFields.sort() },
    });
    return { kind: 'done', record: updated };
  });
  if (outcome.kind === 'refused') throw outcome.error;
  return outcome.record;
}

/** Records the refusal (committed with the transaction) and reports it to the caller. */
async function deny(tx: Transaction, context: GatewayContext, id: string, transition: Transition, error: Error, reason: string): Promise<Outcome> {
  await appendAuditEvent(tx, {
    ...auditActor(context),
    action: `report.${transition}`,
    subjectType: 'Report',
    subjectId: id.slice(0, 100),
    decision: 'DENY',
    reason,
  });
  return { kind: 'refused', error };
}

function sameValue(next: unknown, previous: unknown): boolean {
  if (next instanceof Date || previous instanceof Date) return String(next) === String(previous);
  return JSON.stringify(next) === JSON.stringify(previous);
}
