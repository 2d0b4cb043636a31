/**
 * Role exceptions (DESIGN §4): an admin requests a role (analyst, auditor, admin) for someone
 * else, with a reason and an expiry at most 90 days out; it counts only once an admin other than
 * the requester and the grantee approves it, and only until it expires or is revoked — from the
 * very next request (org/directory.ts reads them with the database clock).
 */
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import {
  approveException,
  databaseNow,
  findException,
  insertException,
  isActivePerson,
  revokeException,
  type RoleExceptionRecord,
} from '../db/repositories/governance.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { asSubject } from '../policies/access.ts';
import { GRANTABLE_ROLES, isGrantableRole } from '../policies/roles.ts';
import type { GatewayContext } from '../schema/context.ts';
import { DateTimeScalar } from '../schema/scalars.ts';
import { ExceptionStatus, RoleException } from '../schema/types/governance.ts';
import { actorId, allow, deny, governedMutation, invalid } from './governance-mutation.ts';

export const EXCEPTION_MAX_DAYS = 90;
const MAX_REASON = 2000;
const DAY_MS = 86_400_000;

const GRANT = { action: 'exception.grant', subjectType: 'RoleException' } as const;
const APPROVE = { action: 'exception.approve', subjectType: 'RoleException' } as const;
const REVOKE = { action: 'exception.revoke', subjectType: 'RoleException' } as const;

function view(record: RoleExceptionRecord): RoleException {
  return { ...record, status: ExceptionStatus[record.status] };
}

const exceptionSubject = (record: Pick<RoleExceptionRecord, 'id' | 'personId' | 'requestedBy'>) =>
  asSubject('RoleException', { id: record.id, granteeId: record.personId, requesterId: record.requestedBy });

@Resolver()
export class RoleExceptionResolver {
  @Mutation(() => RoleException, {
    description: `Requests a role for another person (admins): analyst, auditor or admin, until expiresAt (at most ${EXCEPTION_MAX_DAYS} days out). It counts once an admin other than you and the grantee approves it.`,
  })
  async grantRoleException(
    @Arg('personId', () => ID, { description: 'The grantee (an active person of the org source, not you).' }) personId: string,
    @Arg('role', () => String, { description: `The role: ${GRANTABLE_ROLES.join(', ')}.` }) role: string,
    @Arg('reason', () => String, { description: `Why (1–${MAX_REASON} characters).` }) reason: string,
    @Arg('expiresAt', () => DateTimeScalar, { description: `When it stops counting: in the future, at most ${EXCEPTION_MAX_DAYS} days out.` })
    expiresAt: Date,
    @Ctx() context: GatewayContext,
  ): Promise<RoleException> {
    const record = await governedMutation(context, GRANT, async (tx) => {
      if (!context.ability.can('grant', 'RoleException')) {
        return deny(new ForbiddenError('Only admins may grant role exceptions'), 'not an admin', personId);
      }
      if (!isGrantableRole(role)) invalid(`role must be one of ${GRANTABLE_ROLES.join(', ')} (got ${JSON.stringify(role.slice(0, 50))})`);
      const trimmed = reason.trim();
      if (trimmed.length === 0 || reason.length > MAX_REASON) invalid(`reason must be 1–${MAX_REASON} characters`);
      const me = actorId(context);
      if (!context.ability.can('grant', exceptionSubject({ id: '', personId, requestedBy: me }))) {
        return deny(new ForbiddenError('No one grants anything to themselves'), 'self-grant', personId);
      }
      const now = await databaseNow(tx);
      if (!(expiresAt.getTime() > now.getTime())) invalid(`expiresAt must be in the future (it is ${expiresAt.toISOString()})`);
      if (expiresAt.getTime() > now.getTime() + EXCEPTION_MAX_DAYS * DAY_MS) {
        invalid(`expiresAt must be at most ${EXCEPTION_MAX_DAYS} days out (until ${new Date(now.getTime() + EXCEPTION_MAX_DAYS * DAY_MS).toISOString()})`);
      }
      if (!(await isActivePerson(tx, personId))) invalid(`no active person ${JSON.stringify(personId.slice(0, 200))} in the org source`);
      const created = await insertException(tx, { personId, role, reason: trimmed, requestedBy: me, expiresAt });
      await allow(tx, context, GRANT, {
        subjectId: created.id,
        reason: trimmed,
        details: { personId, role, expiresAt: created.expiresAt.toISOString(), status: created.status },
      });
      return created;
    });
    return view(record);
  }

  @Mutation(() => RoleException, {
    description: 'Approves a pending role exception (an admin other than its requester and its grantee); it counts at once.',
  })
  async approveRoleException(
    @Arg('id', () => ID, { description: 'The exception.' }) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<RoleException> {
    const record = await governedMutation(context, APPROVE, async (tx) => {
      if (!context.ability.can('approve', 'RoleException')) {
        return deny(new ForbiddenError('Only admins may approve role exceptions'), 'not an admin', id);
      }
      const found = await findException(tx, id, { forUpdate: true });
      if (!found) return deny(new NotFoundError(`No role exception ${id}`), 'not found', id);
      if (!context.ability.can('approve', exceptionSubject(found))) {
        return deny(
          new ForbiddenError('An exception is approved by an admin other than its requester and its grantee'),
          'requester or grantee may not approve',
          id,
        );
      }
      if (found.status !== 'PENDING') invalid(`Cannot approve a role exception that is ${found.status}; it must be PENDING`);
      const approved = await approveException(tx, id, actorId(context));
      await allow(tx, context, APPROVE, {
        subjectId: id,
        details: { personId: approved.personId, role: approved.role, requestedBy: approved.requestedBy, expiresAt: approved.expiresAt.toISOString() },
      });
      return approved;
    });
    return view(record);
  }

  @Mutation(() => RoleException, { description: 'Revokes a pending or active role exception (admins); it stops counting at once.' })
  async revokeRoleException(
    @Arg('id', () => ID, { description: 'The exception.' }) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<RoleException> {
    const record = await governedMutation(context, REVOKE, async (tx) => {
      if (!context.ability.can('revoke', 'RoleException')) {
        return deny(new ForbiddenError('Only admins may revoke role exceptions'), 'not an admin', id);
      }
      const found = await findException(tx, id, { forUpdate: true });
      if (!found) return deny(new NotFoundError(`No role exception ${id}`), 'not found', id);
      if (!context.ability.can('revoke', exceptionSubject(found))) {
        return deny(new ForbiddenError('You may not revoke this exception'), 'not permitted', id);
      }
      if (found.status !== 'PENDING' && found.status !== 'ACTIVE') {
        invalid(`Cannot revoke a role exception that is ${found.status}; it must be PENDING or ACTIVE`);
      }
      const revoked = await revokeException(tx, id, actorId(context));
      await allow(tx, context, REVOKE, {
        subjectId: id,
        details: { personId: revoked.personId, role: revoked.role, from: found.status },
      });
      return revoked;
    });
    return view(record);
  }
}
