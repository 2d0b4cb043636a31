/**
 * Privileged access (DESIGN §4): break-glass sessions, role exceptions, staged org imports and
 * access reviews. Person ids refer to the org source; AccessGrant's `person` and `reviewer`
 * resolve them within the caller's directory access.
 */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../scalars.ts';

export enum SessionStatus {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(SessionStatus, {
  name: 'BreakGlassStatus',
  description: 'ACTIVE: in force now; ENDED: ended by its holder or a review; EXPIRED: past its expiry.',
});

@ObjectType({ simpleResolvers: true, description: 'A break-glass session: time-boxed read access to every report (DESIGN §4 rule 5), audited request by request.' })
export class BreakGlassSession {
  @Field(() => ID, { description: 'Session id; every request during the session is audited with it.' })
  id!: string;

  @Field(() => ID, { description: 'The admin who holds it.' })
  personId!: string;

  @Field(() => String, { description: 'Why it was needed.' })
  reason!: string;

  @Field(() => DateTimeScalar, { description: 'When it started.' })
  startedAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When it expires (enforced at every request by the database clock).' })
  expiresAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was ended; for a session that lapsed, its expiry.' })
  endedAt!: Date | null;

  @Field(() => SessionStatus, { description: 'Whether it is in force.' })
  status!: SessionStatus;
}

export enum ExceptionStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ExceptionStatus, {
  name: 'RoleExceptionStatus',
  description: 'PENDING: awaiting a second admin; ACTIVE: approved and unexpired (counts); EXPIRED and REVOKED count for nothing.',
});

@ObjectType({ simpleResolvers: true, description: 'A role granted outside Okta groups: needs a second admin, expires within 90 days.' })
export class RoleException {
  @Field(() => ID, { description: 'Exception id.' })
  id!: string;

  @Field(() => ID, { description: 'The grantee.' })
  personId!: string;

  @Field(() => String, { description: 'The role granted: analyst, auditor or admin.' })
  role!: string;

  @Field(() => String, { description: 'Why it was requested.' })
  reason!: string;

  @Field(() => ID, { description: 'The admin who requested it.' })
  requestedBy!: string;

  @Field(() => DateTimeScalar, { description: 'When it was requested.' })
  requestedAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When it stops counting.' })
  expiresAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The second admin who approved it.' })
  approvedBy!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was approved.' })
  approvedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'Who revoked it (an admin, or a reviewer deciding REVOKE).' })
  revokedBy!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was revoked.' })
  revokedAt!: Date | null;

  @Field(() => ExceptionStatus, { description: 'Whether it counts now.' })
  status!: ExceptionStatus;
}

export enum ImportRequestStatus {
  PENDING = 'PENDING',
  APPLIED = 'APPLIED',
  REJECTED = 'REJECTED',
}
registerEnumType(ImportRequestStatus, {
  name: 'OrgImportRequestStatus',
  description: 'PENDING: staged, awaiting a second admin; APPLIED: imported; REJECTED: refused at approval (see outcome).',
});

@ObjectType({ simpleResolvers: true, description: 'An org snapshot imported through GraphQL: staged until an admin other than the requester approves it.' })
export class OrgImportRequest {
  @Field(() => ID, { description: 'Request id.' })
  id!: string;

  @Field(() => ID, { description: 'The admin who staged it.' })
  requestedBy!: string;

  @Field(() => DateTimeScalar, { description: 'When it was staged.' })
  requestedAt!: Date;

  @Field(() => Float, { description: 'The snapshot sequence (must be above the one in force when applied).' })
  sequence!: number;

  @Field(() => DateTimeScalar, { description: 'When the org source generated the snapshot.' })
  generatedAt!: Date;

  @Field(() => Int, { description: 'People in the snapshot.' })
  peopleCount!: number;

  @Field(() => Int, { description: 'Org units in the snapshot.' })
  orgUnitCount!: number;

  @Field(() => String, { description: 'SHA-256 of the parsed snapshot (the same hash the import records).' })
  snapshotHash!: string;

  @Field(() => ImportRequestStatus, { description: 'Where it stands.' })
  status!: ImportRequestStatus;

  @Field(() => ID, { nullable: true, description: 'The admin who approved it (or whose approval found it rejected).' })
  decidedBy!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was decided.' })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'applied, unchanged, or the problems that rejected it.' })
  outcome!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'The org snapshot in force, and the imports waiting for approval.' })
export class OrgSnapshotStatus {
  @Field(() => Float, { nullable: true, description: 'Sequence in force; null before the first import.' })
  sequence!: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the org source generated it.' })
  generatedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was imported.' })
  importedAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Seconds since it was generated (database clock).' })
  ageSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: 'People it listed.' })
  people!: number | null;

  @Field(() => Int, { nullable: true, description: 'Org units it listed.' })
  orgUnits!: number | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the parsed snapshot.' })
  snapshotHash!: string | null;

  @Field(() => [OrgImportRequest], { description: 'Staged imports awaiting a second admin, oldest first.' })
  pendingRequests!: OrgImportRequest[];
}

export enum ReviewDecision {
  KEEP = 'KEEP',
  REVOKE = 'REVOKE',
}
registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
  description: 'KEEP the grant, or REVOKE it (an exception is revoked and a break-glass session ended at once; an Okta group is removed in Okta).',
});

export enum GrantKind {
  OKTA_GROUP = 'OKTA_GROUP',
  EXCEPTION = 'EXCEPTION',
  BREAK_GLASS = 'BREAK_GLASS',
}
registerEnumType(GrantKind, { name: 'GrantKind', description: 'Where a privileged grant comes from.' });

export enum GrantStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
  ENDED = 'ENDED',
}
registerEnumType(GrantStatus, {
  name: 'GrantStatus',
  description: 'PENDING (an exception awaiting approval), ACTIVE, EXPIRED, REVOKED (exceptions) or ENDED (break-glass).',
});

@ObjectType({ simpleResolvers: true, description: 'A recorded access review of one grant.' })
export class AccessReviewRecord {
  @Field(() => ID, { description: 'Review id.' })
  id!: string;

  @Field(() => ID, { description: 'The grant reviewed.' })
  grantId!: string;

  @Field(() => ReviewDecision, { description: 'KEEP or REVOKE.' })
  decision!: ReviewDecision;

  @Field(() => String, { description: 'The reviewer’s note.' })
  note!: string;

  @Field(() => ID, { description: 'Who recorded it.' })
  reviewerId!: string;

  @Field(() => DateTimeScalar, { description: 'When.' })
  reviewedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A privileged grant under review: analyst, auditor or admin from an Okta group or an exception, or a break-glass session.' })
export class AccessGrant {
  @Field(() => ID, { description: 'Grant id, for recordAccessReview.' })
  grantId!: string;

  @Field(() => GrantKind, { description: 'Where it comes from.' })
  kind!: GrantKind;

  @Field(() => ID, { description: 'Whose grant it is.' })
  personId!: string;

  @Field(() => String, { description: 'The role granted: analyst, auditor, admin, or break-glass.' })
  role!: string;

  @Field(() => String, { description: 'Its source in words: the Okta group, the exception and its approver, or the session and its reason.' })
  source!: string;

  @Field(() => GrantStatus, { description: 'Its state.' })
  status!: GrantStatus;

  @Field(() => Boolean, { description: 'Whether it grants anything now (active, and the person active in the org source).' })
  effective!: boolean;

  @Field(() => DateTimeScalar, { description: 'Since when: first seen in a token, approved (requested, while pending), or started.' })
  since!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Until when: the expiry, revocation or end; null for an Okta group.' })
  until!: Date | null;

  @Field(() => ID, { nullable: true, description: 'Who reviews it: the person’s manager in the org source (null: none).' })
  reviewerId!: string | null;

  @Field(() => AccessReviewRecord, { nullable: true, description: 'The latest review, if any.' })
  latestReview!: AccessReviewRecord | null;
}
