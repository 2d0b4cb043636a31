/**
 * Org import as a privileged operation (DESIGN §3, §4): through GraphQL an admin stages a
 * snapshot — parsed and checked as the CLI checks it, so a bad one is refused at once — and an
 * admin other than the requester approves it, which applies it with org/import.ts inside the
 * transaction that records the decision and its audit event. A sequence overtaken in the
 * meantime is refused at approval and the request marked REJECTED. `orgSnapshotStatus` shows
 * what is in force and what waits.
 */
import { createHash } from 'node:crypto';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { appendAuditEvent } from '../db/audit.ts';
import {
  decideImportRequest,
  findImportRequestForDecision,
  insertImportRequest,
  listPendingImportRequests,
  orgInForce,
  type OrgImportRequestRecord,
} from '../db/repositories/governance.ts';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors.ts';
import { importOrgSnapshot, OrgSnapshotRejected } from '../org/import.ts';
import { orgSnapshot, type OrgSnapshot } from '../org/snapshot.ts';
import { findSnapshotProblems } from '../org/validate.ts';
import { asSubject } from '../policies/access.ts';
import type { GatewayContext } from '../schema/context.ts';
import { ImportRequestStatus, OrgImportRequest, OrgSnapshotStatus } from '../schema/types/governance.ts';
import { auditActor } from './audit-actor.ts';
import { actorId, allow, deny, governedMutation, invalid, refuseAfterCommit } from './governance-mutation.ts';

const REQUEST = { action: 'org.import.request', subjectType: 'OrgImportRequest' } as const;
const APPROVE = { action: 'org.import.approve', subjectType: 'OrgImportRequest' } as const;
/** Problems listed in a BAD_USER_INPUT message before "…and N more". */
const LISTED_PROBLEMS = 20;

function view(record: OrgImportRequestRecord): OrgImportRequest {
  return { ...record, status: ImportRequestStatus[record.status] };
}

/** The same canonical hash org/import.ts records: SHA-256 of the parsed snapshot. */
function snapshotHashOf(snapshot: OrgSnapshot): string {
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex');
}

function describeProblems(problems: readonly string[]): string {
  const listed = problems.slice(0, LISTED_PROBLEMS).map((problem) => `  - ${problem}`);
  const rest = problems.length - LISTED_PROBLEMS;
  return `Org snapshot rejected:\n${listed.join('\n')}${rest > 0 ? `\n  … and ${rest} more` : ''}`;
}

/** Parses and checks a snapshot as an import would; throws BAD_USER_INPUT naming the problems. */
function parseSnapshot(text: string): OrgSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BadUserInputError(describeProblems([`not valid JSON: ${(error as Error).message}`]));
  }
  const parsed = orgSnapshot.safeParse(json);
  if (!parsed.success) {
    throw new BadUserInputError(describeProblems(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'snapshot'}: ${issue.message}`)));
  }
  const problems = findSnapshotProblems(parsed.data);
  if (problems.length > 0) throw new BadUserInputError(describeProblems(problems));
  return parsed.data;
}

@Resolver()
export class OrgImportResolver {
  @Query(() => OrgSnapshotStatus, { description: 'The org snapshot in force (age, sequence, counts, hash) and staged imports (admins).' })
  async orgSnapshotStatus(@Ctx() context: GatewayContext): Promise<OrgSnapshotStatus> {
    if (!context.ability.can('read', 'OrgSnapshot')) throw new ForbiddenError('Only admins may read the org snapshot status');
    const [current, pending] = await Promise.all([orgInForce(context.db), listPendingImportRequests(context.db)]);
    return {
      sequence: current?.sequence ?? null,
      generatedAt: current?.generatedAt ?? null,
      importedAt: current?.importedAt ?? null,
      ageSeconds: current?.ageSeconds ?? null,
      people: current?.people ?? null,
      orgUnits: current?.orgUnits ?? null,
      snapshotHash: current?.snapshotHash ?? null,
      pendingRequests: pending.map(view),
    };
  }

  @Mutation(() => OrgImportRequest, {
    description:
      'Stages an org snapshot (JSON, version 1) for import (admins). It is checked now — a bad snapshot or a sequence not above the one in force is refused — and applied only when an admin other than you approves it.',
  })
  async importOrgSnapshot(
    @Arg('snapshot', () => String, { description: 'The snapshot, as JSON text (DESIGN §3).' }) snapshot: string,
    @Ctx() context: GatewayContext,
  ): Promise<OrgImportRequest> {
    const record = await governedMutation(context, REQUEST, async (tx) => {
      if (!context.ability.can('import', 'OrgSnapshot')) return deny(new ForbiddenError('Only admins may import org snapshots'), 'not an admin');
      const parsed = parseSnapshot(snapshot);
      const current = await orgInForce(tx);
      if (current && parsed.sequence <= current.sequence) {
        invalid(`sequence ${parsed.sequence} is not above sequence ${current.sequence} in force; sequences must not go backwards`);
      }
      const snapshotHash = snapshotHashOf(parsed);
      const staged = await insertImportRequest(tx, {
        requestedBy: actorId(context),
        sequence: parsed.sequence,
        generatedAt: new Date(parsed.generatedAt),
        peopleCount: parsed.people.length,
        orgUnitCount: parsed.orgUnits.length,
        snapshotHash,
        snapshot: parsed,
      });
      await allow(tx, context, REQUEST, {
        subjectId: staged.id,
        details: { sequence: parsed.sequence, snapshotHash, people: parsed.people.length, orgUnits: parsed.orgUnits.length },
      });
      return staged;
    });
    return view(record);
  }

  @Mutation(() => OrgImportRequest, {
    description:
      'Approves a staged org import (an admin other than its requester) and applies it at once. A sequence no longer above the one in force is refused and the request marked REJECTED.',
  })
  async approveOrgImport(
    @Arg('id', () => ID, { description: 'The staged import request.' }) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<OrgImportRequest> {
    const record = await governedMutation(context, APPROVE, async (tx) => {
      if (!context.ability.can('approve', 'OrgImportRequest')) {
        return deny(new ForbiddenError('Only admins may approve org imports'), 'not an admin', id);
      }
      const request = await findImportRequestForDecision(tx, id);
      if (!request) return deny(new NotFoundError(`No org import request ${id}`), 'not found', id);
      if (!context.ability.can('approve', asSubject('OrgImportRequest', { id, requesterId: request.requestedBy }))) {
        return deny(new ForbiddenError('An import is approved by an admin other than its requester'), 'requester may not approve', id);
      }
      if (request.status !== 'PENDING') invalid(`Cannot approve an org import request that is ${request.status}; it must be PENDING`);
      const me = actorId(context);
      try {
        const result = await importOrgSnapshot(tx, request.snapshot as OrgSnapshot, {
          source: `graphql request ${id} (requested by ${request.requestedBy}, approved by ${me})`,
          actor: { id: me, subject: context.token.subject },
          requestId: context.requestId,
          auditedByCaller: true,
        });
        const decided = await decideImportRequest(tx, id, { status: 'APPLIED', decidedBy: me, outcome: result.status });
        await allow(tx, context, APPROVE, {
          subjectId: id,
          details: {
            requestedBy: request.requestedBy,
            outcome: result.status,
            sequence: result.sequence,
            snapshotHash: result.snapshotHash,
            people: result.people,
            orgUnits: result.orgUnits,
            deactivated: result.deactivated,
          },
        });
        return decided;
      } catch (error) {
        if (!(error instanceof OrgSnapshotRejected)) throw error;
        // Recorded and committed: the request is settled as REJECTED, and the refusal audited.
        await decideImportRequest(tx, id, { status: 'REJECTED', decidedBy: me, outcome: error.problems.join('; ').slice(0, 4000) });
        await appendAuditEvent(tx, {
          ...auditActor(context),
          action: APPROVE.action,
          subjectType: APPROVE.subjectType,
          subjectId: id,
          decision: 'DENY',
          reason: 'snapshot rejected at approval',
          details: { requestedBy: request.requestedBy, sequence: request.sequence, problems: error.problems.slice(0, LISTED_PROBLEMS) },
        });
        return refuseAfterCommit(new BadUserInputError(describeProblems(error.problems)));
      }
    });
    return view(record);
  }
}
