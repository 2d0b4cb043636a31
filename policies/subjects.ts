/**
 * What policies talk about: the actions, the subject types, and the shape of each subject as
 * the rules see it — a database row plus the virtual fields the rules need.
 */
import type { ForcedSubject, MongoAbility } from '@casl/ability';
import type { AuditEventRow, OrgUnitRow, PersonRow, ReportRow } from '../db/schema.ts';

/** A report as policy sees it. */
export interface ReportSubject extends ReportRow {
  /** Virtual: every manager above the author (the author is in each one's reporting line). */
  readonly authorManagerIds: readonly string[];
  /** Virtual: the author has a manager in the org source. */
  readonly authorHasManager: boolean;
}

/** A person as policy sees it. */
export interface PersonSubject extends Omit<PersonRow, 'lastSeenSequence' | 'updatedAt'> {
  /** Virtual: every manager above this person. */
  readonly managerIds: readonly string[];
}

/** Governance objects; their fields appear in "not to oneself" conditions. */
export interface RoleExceptionSubject {
  readonly id: string;
  readonly granteeId: string;
  readonly requesterId: string;
}
export interface OrgImportRequestSubject {
  readonly id: string;
  readonly requesterId: string;
}
/** A privileged grant under access review: whose grant it is. */
export interface AccessReviewSubject {
  readonly grantId: string;
  readonly personId: string;
}

export interface SubjectShapes {
  Report: ReportSubject;
  Person: PersonSubject;
  OrgUnit: OrgUnitRow;
  AuditEvent: AuditEventRow;
  RoleException: RoleExceptionSubject;
  OrgImportRequest: OrgImportRequestSubject;
  AccessReview: AccessReviewSubject;
}

/** Subjects with no instances: operations as a whole. */
export type OperationSubject = 'UsageStats' | 'Readiness' | 'OrgSnapshot' | 'BreakGlass';

export type SubjectType = keyof SubjectShapes | OperationSubject;

export const ACTIONS = [
  'read',
  'aggregate',
  'create',
  'update',
  'submit',
  'publish',
  'return',
  'archive',
  'explain',
  'record',
  'import',
  'start',
  'end',
  'grant',
  'approve',
  'revoke',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Subjects are plain objects tagged with their type (`subject('Report', row)`). */
export type TaggedSubject = { [K in keyof SubjectShapes]: SubjectShapes[K] & ForcedSubject<K> }[keyof SubjectShapes];

export type AppAbility = MongoAbility<[Action, SubjectType | TaggedSubject]>;

/** Report fields, for field rules (customerAccounts is the protected one). */
export const REPORT_FIELDS = [
  'id',
  'title',
  'summary',
  'body',
  'status',
  'sensitivity',
  'tags',
  'customerAccounts',
  'authorId',
  'orgUnitId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'reviewNote',
] as const;

/** Person fields, for field rules (email is the protected one). */
export const PERSON_FIELDS = ['id', 'oktaId', 'email', 'displayName', 'title', 'managerId', 'orgUnitId', 'active'] as const;
