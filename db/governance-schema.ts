/**
 * Privileged access (DESIGN §4, §6): break-glass sessions, role exceptions, staged org imports
 * and access-review records. Rows are never deleted: they are the evidence reviews rely on.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const breakGlassSessions = pgTable(
  'break_glass_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: text('person_id').notNull(),
    reason: text('reason').notNull(),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    /** Expiry is enforced by comparing with the clock at every request, not by a job. */
    expiresAt: timestamptz('expires_at').notNull(),
    endedAt: timestamptz('ended_at'),
    reviewedAt: timestamptz('reviewed_at'),
    reviewedBy: text('reviewed_by'),
  },
  (table) => [
    index('break_glass_person_idx').on(table.personId, table.expiresAt),
    // One open session per person at a time.
    uniqueIndex('break_glass_one_open_idx').on(table.personId).where(sql`${table.endedAt} is null`),
  ],
);

export const roleExceptions = pgTable(
  'role_exceptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: text('person_id').notNull(),
    role: text('role').notNull(),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamptz('requested_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    approvedBy: text('approved_by'),
    approvedAt: timestamptz('approved_at'),
    revokedBy: text('revoked_by'),
    revokedAt: timestamptz('revoked_at'),
  },
  (table) => [
    index('role_exceptions_person_idx').on(table.personId, table.expiresAt),
    // Only these roles may be granted by exception (policies/roles.ts, GRANTABLE_ROLES).
    check('role_exceptions_role_check', sql`${table.role} in ('analyst', 'auditor', 'admin')`),
  ],
);

export const importRequestStatus = pgEnum('import_request_status', ['PENDING', 'APPLIED', 'REJECTED']);

export const orgImportRequests = pgTable(
  'org_import_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamptz('requested_at').notNull().defaultNow(),
    /** Same type as org_imports.sequence: a snapshot's sequence may exceed 32 bits. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    generatedAt: timestamptz('generated_at').notNull(),
    peopleCount: integer('people_count').notNull(),
    orgUnitCount: integer('org_unit_count').notNull(),
    snapshotHash: text('snapshot_hash').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    status: importRequestStatus('status').notNull().default('PENDING'),
    decidedBy: text('decided_by'),
    decidedAt: timestamptz('decided_at'),
    outcome: text('outcome'),
  },
  (table) => [index('org_import_requests_status_idx').on(table.status, table.requestedAt)],
);

export const reviewDecision = pgEnum('review_decision', ['KEEP', 'REVOKE']);

export const accessReviews = pgTable(
  'access_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    grantId: text('grant_id').notNull(),
    decision: reviewDecision('decision').notNull(),
    note: text('note').notNull(),
    reviewerId: text('reviewer_id').notNull(),
    reviewedAt: timestamptz('reviewed_at').notNull().defaultNow(),
  },
  (table) => [index('access_reviews_grant_idx').on(table.grantId, table.reviewedAt)],
);

/**
 * The role-granting Okta groups a person's tokens carried (the org source does not know them),
 * one row per person and group: since when (first seen) and when last seen. A group a person's
 * token no longer carries is removed, so these rows are the group grants in force as last seen.
 */
export const groupSightings = pgTable(
  'group_sightings',
  {
    personId: text('person_id').notNull(),
    groupName: text('group_name').notNull(),
    firstSeenAt: timestamptz('first_seen_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.personId, table.groupName] })],
);

export type BreakGlassRow = typeof breakGlassSessions.$inferSelect;
export type RoleExceptionRow = typeof roleExceptions.$inferSelect;
export type OrgImportRequestRow = typeof orgImportRequests.$inferSelect;
export type AccessReviewRow = typeof accessReviews.$inferSelect;
export type GroupSightingRow = typeof groupSightings.$inferSelect;
