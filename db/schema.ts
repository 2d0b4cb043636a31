/**
 * The database schema (drizzle). Types for rows flow from here to the rest of the gateway.
 *
 * Org truth (org units, people, reporting lines) is written only by the org import; reports are
 * written by the API; audit events are append-only.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Millisecond precision, what a JavaScript Date holds: a cursor made from a Date then compares
 * exactly with the stored value (microseconds would make keyset pages repeat rows).
 */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const reportStatus = pgEnum('report_status', ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED']);
export const reportSensitivity = pgEnum('report_sensitivity', ['INTERNAL', 'CONFIDENTIAL']);
export const auditDecision = pgEnum('audit_decision', ['ALLOW', 'DENY']);

export const orgUnits = pgTable(
  'org_units',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    parentId: text('parent_id'),
    kind: text('kind'),
    /** Materialised by the import: this unit or one of its ancestors has kind "builder-relations". */
    inBuilderRelations: boolean('in_builder_relations').notNull().default(false),
    /** False once a newer snapshot no longer lists the unit (units, like people, are never deleted). */
    active: boolean('active').notNull().default(true),
  },
  (table) => [index('org_units_parent_idx').on(table.parentId)],
);

/** Every (ancestor, descendant) pair of the org-unit tree, self pairs included (depth 0). */
export const orgUnitClosure = pgTable(
  'org_unit_closure',
  {
    ancestorId: text('ancestor_id').notNull(),
    descendantId: text('descendant_id').notNull(),
    depth: smallint('depth').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.ancestorId, table.descendantId] }),
    index('org_unit_closure_descendant_idx').on(table.descendantId, table.ancestorId),
  ],
);

export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    oktaId: text('okta_id').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    title: text('title'),
    managerId: text('manager_id'),
    orgUnitId: text('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    active: boolean('active').notNull(),
    /** Sequence of the last snapshot that listed this person. */
    lastSeenSequence: bigint('last_seen_sequence', { mode: 'number' }).notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('people_okta_id_key').on(table.oktaId),
    // Tokens without `uid` are matched on lower(email) among active people. Uniqueness regardless
    // of case is checked by the import (the only writer) over the whole snapshot, not by a unique
    // index: an index would refuse two people swapping addresses in one snapshot, and would let
    // a person kept as inactive hold their address forever.
    index('people_active_email_lower_idx')
      .on(sql`lower(${table.email})`)
      .where(sql`${table.active}`),
    index('people_manager_idx').on(table.managerId),
    index('people_org_unit_idx').on(table.orgUnitId),
  ],
);

/**
 * The reporting-line closure: one row per (manager, person below them), transitively, self
 * excluded. "Is P in V's reporting line" is a primary-key lookup on (manager_id = V, person_id = P).
 */
export const reportingLines = pgTable(
  'reporting_lines',
  {
    managerId: text('manager_id').notNull(),
    personId: text('person_id').notNull(),
    depth: smallint('depth').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.managerId, table.personId] }),
    index('reporting_lines_person_idx').on(table.personId, table.depth),
  ],
);

/** One row per applied org snapshot; the newest row is the org in force. */
export const orgImports = pgTable('org_imports', {
  sequence: bigint('sequence', { mode: 'number' }).primaryKey(),
  generatedAt: timestamptz('generated_at').notNull(),
  importedAt: timestamptz('imported_at').notNull().defaultNow(),
  snapshotHash: text('snapshot_hash').notNull(),
  peopleCount: integer('people_count').notNull(),
  orgUnitCount: integer('org_unit_count').notNull(),
  deactivatedCount: integer('deactivated_count').notNull(),
  source: text('source').notNull(),
});

export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    body: text('body').notNull().default(''),
    status: reportStatus('status').notNull().default('DRAFT'),
    sensitivity: reportSensitivity('sensitivity').notNull().default('INTERNAL'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customerAccounts: text('customer_accounts').array().notNull().default(sql`'{}'::text[]`),
    authorId: text('author_id')
      .notNull()
      .references(() => people.id),
    /** The author's unit when the report was created; fixed afterwards. */
    orgUnitId: text('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    publishedAt: timestamptz('published_at'),
    /** Why the last reviewer sent it back to DRAFT (returnReport); cleared on submit. */
    reviewNote: text('review_note'),
  },
  (table) => [
    index('reports_author_created_idx').on(table.authorId, table.createdAt, table.id),
    index('reports_visibility_created_idx').on(table.status, table.sensitivity, table.createdAt, table.id),
    index('reports_org_unit_idx').on(table.orgUnitId, table.status, table.sensitivity),
    index('reports_created_idx').on(table.createdAt, table.id),
  ],
);

/**
 * Report counts per (org unit, status, sensitivity): the "anyone may count these" part of
 * dashboard aggregates, read instead of scanning a million reports (db/repositories/report-stats.ts).
 * Maintained by statement triggers on reports (migration 0006), so every write updates it in its
 * own transaction and it is never stale; org units and authors of a report never change.
 */
export const reportUnitCounts = pgTable(
  'report_unit_counts',
  {
    orgUnitId: text('org_unit_id').notNull(),
    status: reportStatus('status').notNull(),
    sensitivity: reportSensitivity('sensitivity').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgUnitId, table.status, table.sensitivity] })],
);

/**
 * Report counts per (status, sensitivity) over every report: with report_unit_counts for the
 * viewer's own unit, what groupings without ORG_UNIT read (eight rows instead of every unit's).
 * Report writes maintain it by trigger.
 */
export const reportCellCounts = pgTable(
  'report_cell_counts',
  {
    status: reportStatus('status').notNull(),
    sensitivity: reportSensitivity('sensitivity').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.status, table.sensitivity] })],
);

/**
 * Report counts per (manager, status, sensitivity) over the manager's reporting line: the line
 * correction of groupings without ORG_UNIT. Kept like report_line_counts (triggers, and a
 * rebuild by the org import).
 */
export const reportLineCellCounts = pgTable(
  'report_line_cell_counts',
  {
    managerId: text('manager_id').notNull(),
    status: reportStatus('status').notNull(),
    sensitivity: reportSensitivity('sensitivity').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.managerId, table.status, table.sensitivity] })],
);

/**
 * Report counts per (org unit, ISO week of creation (UTC), status, sensitivity): the counters of
 * groupings by WEEK. Report writes maintain it by trigger, with report_unit_counts. A reorg does
 * not touch it: a report keeps its own org unit and creation time.
 */
export const reportUnitWeekCounts = pgTable(
  'report_unit_week_counts',
  {
    orgUnitId: text('org_unit_id').notNull(),
    week: timestamp('week', { withTimezone: true }).notNull(),
    status: reportStatus('status').notNull(),
    sensitivity: reportSensitivity('sensitivity').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgUnitId, table.week, table.status, table.sensitivity] })],
);

/**
 * Report counts per (manager, org unit, status, sensitivity) over the reports whose author is in
 * the manager's reporting line (the closure in reporting_lines, self excluded): the "my line"
 * part of aggregates. Report writes maintain it by trigger; the org import rebuilds it in the
 * import's transaction, because a new snapshot moves authors between lines.
 */
export const reportLineCounts = pgTable(
  'report_line_counts',
  {
    managerId: text('manager_id').notNull(),
    orgUnitId: text('org_unit_id').notNull(),
    status: reportStatus('status').notNull(),
    sensitivity: reportSensitivity('sensitivity').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.managerId, table.orgUnitId, table.status, table.sensitivity] })],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
    actorId: text('actor_id'),
    actorSubject: text('actor_subject'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    decision: auditDecision('decision').notNull(),
    reason: text('reason'),
    requestId: text('request_id'),
    traceId: text('trace_id'),
    policyVersion: text('policy_version'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    hash: text('hash'),
    prevHash: text('prev_hash'),
  },
  (table) => [
    index('audit_events_occurred_idx').on(table.occurredAt, table.id),
    index('audit_events_actor_idx').on(table.actorId, table.occurredAt),
    index('audit_events_subject_idx').on(table.subjectType, table.subjectId),
  ],
);

/**
 * Usage analytics for adoption dashboards (DESIGN §7): one row per UTC day × operation × client
 * × role, merged by upserts from every gateway replica's in-memory rollup (telemetry/usage.ts),
 * never one insert per request. Operation and client are bounded labels (registered names,
 * else `other`); no person is recorded. Latency is a histogram over fixed buckets
 * (USAGE_LATENCY_BUCKETS_MS), so percentiles can be estimated and rows merged by adding.
 */
export const usageRollups = pgTable(
  'usage_rollups',
  {
    day: date('day', { mode: 'string' }).notNull(),
    operation: text('operation').notNull(),
    client: text('client').notNull(),
    role: text('role').notNull(),
    requestCount: bigint('request_count', { mode: 'number' }).notNull(),
    errorCount: bigint('error_count', { mode: 'number' }).notNull(),
    durationSumMs: doublePrecision('duration_sum_ms').notNull(),
    durationMaxMs: doublePrecision('duration_max_ms').notNull(),
    /** Requests per latency bucket: one more element than USAGE_LATENCY_BUCKETS_MS (the overflow). */
    latencyBuckets: bigint('latency_buckets', { mode: 'number' }).array().notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.day, table.operation, table.client, table.role] })],
);

export type OrgUnitRow = typeof orgUnits.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;
export type NewReportRow = typeof reports.$inferInsert;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEventRow = typeof auditEvents.$inferInsert;
export type OrgImportRow = typeof orgImports.$inferSelect;
export type UsageRollupRow = typeof usageRollups.$inferSelect;
