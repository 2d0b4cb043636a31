/**
 * Access review (DESIGN §4): every privileged grant — analyst, auditor and admin from Okta groups
 * (as last seen in a token) or from exceptions (pending, active, expired, revoked), and every
 * break-glass session until it is reviewed — with its source, since when, until when, who reviews
 * it (the person's manager in the org source) and its latest review. Auditors and admins read it
 * and record decisions; nobody reviews their own grant. REVOKE revokes an exception or ends a
 * session at once; a group grant is removed in Okta (the review records the decision).
 */
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { AccessReviewRow } from '../db/governance-schema.ts';
import {
  insertAccessReview,
  latestReviews,
  listExceptionGrants,
  listGroupGrants,
  listSessionGrants,
  markSessionReviewed,
  revokeException,
  type ExceptionGrantRow,
  type GroupGrantRow,
  type SessionGrantRow,
} from '../db/repositories/governance.ts';
import type { Executor } from '../db/client.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { asSubject } from '../policies/access.ts';
import { GROUP_ROLES } from '../policies/roles.ts';
import type { GatewayContext } from '../schema/context.ts';
import { AccessGrant, AccessReviewRecord, GrantKind, GrantStatus, ReviewDecision } from '../schema/types/governance.ts';
import { Person } from '../schema/types/org.ts';
import { actorId, allow, deny, governedMutation, invalid } from './governance-mutation.ts';
import { loaders } from './loaders.ts';
import { maskedPerson, type PersonView } from './people.ts';

const REVIEW = { action: 'access.review', subjectType: 'AccessGrant' } as const;
const MAX_NOTE = 2000;

type Grant = Omit<AccessGrant, 'latestReview'>;

// Grant ids name their kind: okta:<group>:<person> (both URI-encoded), exception:<id>, breakglass:<id>.
const groupGrantId = (row: Pick<GroupGrantRow, 'groupName' | 'personId'>) =>
  `okta:${encodeURIComponent(row.groupName)}:${encodeURIComponent(row.personId)}`;

type ParsedGrantId =
  | { kind: 'okta'; groupName: string; personId: string }
  | { kind: 'exception'; id: string }
  | { kind: 'breakglass'; id: string };

function parseGrantId(grantId: string): ParsedGrantId | undefined {
  const [kind, ...rest] = grantId.split(':');
  if ((kind === 'exception' || kind === 'breakglass') && rest.length === 1) return { kind, id: rest[0] as string };
  if (kind !== 'okta' || rest.length !== 2) return undefined;
  try {
    return { kind, groupName: decodeURIComponent(rest[0] as string), personId: decodeURIComponent(rest[1] as string) };
  } catch {
    // A malformed escape names no grant.
    return undefined;
  }
}

function groupGrant(row: GroupGrantRow): Grant | undefined {
  // The mapping of policies/roles.ts decides what a group grants; one it no longer maps grants nothing.
  const role = Object.hasOwn(GROUP_ROLES, row.groupName) ? GROUP_ROLES[row.groupName] : undefined;
  if (role === undefined) return undefined;
  return {
    grantId: groupGrantId(row),
    kind: GrantKind.OKTA_GROUP,
    personId: row.personId,
    role,
    source: `Okta group ${row.groupName} (last seen in a token ${row.lastSeenAt.toISOString()})`,
    status: GrantStatus.ACTIVE,
    effective: row.personActive,
    since: row.firstSeenAt,
    until: null,
    reviewerId: row.managerId,
  };
}

function exceptionGrant(row: ExceptionGrantRow): Grant {
  const approval = row.approvedBy ? `approved by ${row.approvedBy}` : 'awaiting approval';
  return {
    grantId: `exception:${row.id}`,
    kind: GrantKind.EXCEPTION,
    personId: row.personId,
    role: row.role,
    source: `exception ${row.id}, requested by ${row.requestedBy}, ${approval}: ${row.reason}`,
    status: GrantStatus[row.status],
    effective: row.status === 'ACTIVE' && row.personActive,
    since: row.approvedAt ?? row.requestedAt,
    until: row.revokedAt ?? row.expiresAt,
    reviewerId: row.managerId,
  };
}

function sessionGrant(row: SessionGrantRow): Grant {
  return {
    grantId: `breakglass:${row.id}`,
    kind: GrantKind.BREAK_GLASS,
    personId: row.personId,
    role: 'break-glass',
    source: `break-glass session ${row.id}: ${row.reason}`,
    status: GrantStatus[row.status],
    effective: row.status === 'ACTIVE' && row.personActive,
    since: row.startedAt,
    until: row.endedAt ?? row.expiresAt,
    reviewerId: row.managerId,
  };
}

function reviewView(row: AccessReviewRow): AccessReviewRecord {
  return { ...row, decision: ReviewDecision[row.decision] };
}

async function listGrants(db: Executor): Promise<Grant[]> {
  const [groups, exceptions, sessions] = await Promise.all([listGroupGrants(db), listExceptionGrants(db), listSessionGrants(db)]);
  return [
    ...groups.flatMap((row) => groupGrant(row) ?? []),
    ...exceptions.map(exceptionGrant),
    ...sessions.map(sessionGrant),
  ];
}

async function findGrant(db: Executor, grantId: string): Promise<Grant | undefined> {
  const parsed = parseGrantId(grantId);
  if (!parsed) return undefined;
  switch (parsed.kind) {
    case 'okta': {
      const [row] = await listGroupGrants(db, parsed.personId, parsed.groupName);
      return row && groupGrant(row);
    }
    case 'exception': {
      const [row] = await listExceptionGrants(db, parsed.id);
      return row && exceptionGrant(row);
    }
    case 'breakglass': {
      const [row] = await listSessionGrants(db, parsed.id);
      return row && sessionGrant(row);
    }
  }
}

@Resolver(() => AccessGrant)
export class AccessReviewResolver {
  @Query(() => [AccessGrant], {
    description:
      'Every privileged grant (Okta-group roles as last seen, role exceptions in every state, break-glass sessions until reviewed), with source, since, until, reviewer and latest review (auditors and admins).',
  })
  async accessReview(@Ctx() context: GatewayContext): Promise<AccessGrant[]> {
    if (!context.ability.can('read', 'AccessReview')) throw new ForbiddenError('Only auditors and admins may read the access review');
    const grants = await listGrants(context.db);
    const reviews = await latestReviews(context.db, grants.map((grant) => grant.grantId));
    return grants.map((grant) => {
      const review = reviews.get(grant.grantId);
      return { ...grant, latestReview: review ? reviewView(review) : null };
    });
  }

  @Mutation(() => AccessReviewRecord, {
    description:
      'Records a review decision on a grant (auditors and admins; not on your own grants). REVOKE revokes an exception or ends a break-glass session at once; any review marks a session reviewed.',
  })
  async recordAccessReview(
    @Arg('grantId', () => ID, { description: 'The grant, as accessReview lists it.' }) grantId: string,
    @Arg('decision', () => ReviewDecision, { description: 'KEEP or REVOKE.' }) decision: ReviewDecision,
    @Arg('note', () => String, { description: `The reviewer’s note (1–${MAX_NOTE} characters).` }) note: string,
    @Ctx() context: GatewayContext,
  ): Promise<AccessReviewRecord> {
    const review = await governedMutation(context, REVIEW, async (tx) => {
      if (!context.ability.can('record', 'AccessReview')) {
        return deny(new ForbiddenError('Only auditors and admins may record access reviews'), 'not an auditor or admin', grantId);
      }
      const trimmed = note.trim();
      if (trimmed.length === 0 || note.length > MAX_NOTE) invalid(`note must be 1–${MAX_NOTE} characters`);
      const grant = await findGrant(tx, grantId);
      if (!grant) return deny(new NotFoundError(`No grant ${grantId}`), 'not found', grantId);
      if (!context.ability.can('record', asSubject('AccessReview', { grantId, personId: grant.personId }))) {
        return deny(new ForbiddenError('No one reviews their own grant'), 'own grant', grantId);
      }
      const me = actorId(context);
      const effect = await applyDecision(tx, grant, decision, me);
      const recorded = await insertAccessReview(tx, { grantId, decision, note: trimmed, reviewerId: me });
      await allow(tx, context, REVIEW, {
        subjectId: grantId,
        reason: trimmed,
        details: { decision, kind: grant.kind, personId: grant.personId, role: grant.role, status: grant.status, effect },
      });
      return recorded;
    });
    return reviewView(review);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Whose grant it is (within your directory access).' })
  async person(@Root() grant: AccessGrant, @Ctx() context: GatewayContext): Promise<PersonView | null> {
    const person = await loaders(context).people.load(grant.personId);
    return person ? maskedPerson(context, person) : null;
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who reviews it: the person’s manager in the org source.' })
  async reviewer(@Root() grant: AccessGrant, @Ctx() context: GatewayContext): Promise<PersonView | null> {
    if (grant.reviewerId === null) return null;
    const person = await loaders(context).people.load(grant.reviewerId);
    return person ? maskedPerson(context, person) : null;
  }
}

/** What a decision does besides being recorded; named in the audit event. */
async function applyDecision(tx: Executor, grant: Grant, decision: ReviewDecision, reviewerId: string): Promise<string> {
  const id = grant.grantId.slice(grant.grantId.indexOf(':') + 1);
  if (grant.kind === GrantKind.BREAK_GLASS) {
    const end = decision === ReviewDecision.REVOKE && grant.status === GrantStatus.ACTIVE;
    await markSessionReviewed(tx, id, reviewerId, end);
    return end ? 'session ended and marked reviewed' : 'session marked reviewed';
  }
  if (decision === ReviewDecision.KEEP) return 'none';
  if (grant.kind === GrantKind.EXCEPTION) {
    if (grant.status !== GrantStatus.PENDING && grant.status !== GrantStatus.ACTIVE) return `none (exception already ${grant.status})`;
    await revokeException(tx, id, reviewerId);
    return 'exception revoked';
  }
  return 'none here: remove the Okta group membership in Okta';
}
