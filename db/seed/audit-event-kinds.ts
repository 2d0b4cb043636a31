/**
 * What a year of audit events looks like, kind by kind: the actions, subjects, reasons and
 * details the gateway itself writes (resolvers/reports.ts, report-workflow.ts, break-glass.ts,
 * role-exceptions.ts, access-review.ts, org-imports.ts, http/break-glass-plugin.ts and
 * org/import.ts), in proportions of a busy reporting tool: report edits dominate, refusals are a
 * few percent, governance is rare. Reads and explainAccess are not audited by the gateway, so
 * they are not generated either.
 */
import type { PersonRecord } from '../../org/snapshot.ts';
import type { AuditEventRow } from '../schema.ts';
import type { Random } from './random.ts';

/** Where the generator draws actors and subjects from (audit-events.ts builds it from the snapshot). */
export interface EventContext {
  readonly random: Random;
  /** An active person of Builder Relations (writes reports). */
  builder(): PersonRecord;
  /** An active person with direct reports (publishes, returns, reviews access). */
  manager(): PersonRecord;
  /** One of the few admins. */
  admin(): PersonRecord;
  /** An active person outside Builder Relations (refused report creation, refused governance). */
  outsider(): PersonRecord;
  /** Any active person (the subject of exceptions and reviews). */
  anyone(): PersonRecord;
  reportId(): string;
  uuid(): string;
  /** When the event happens (epoch ms). */
  readonly at: number;
  /** The next org snapshot sequence, for import events. */
  nextSequence(): number;
}

export type EventDraft = Pick<AuditEventRow, 'action' | 'subjectType' | 'subjectId' | 'decision' | 'reason' | 'details'> & {
  /** The person acting; null for an operator's CLI. */
  readonly actor: PersonRecord | null;
  /** The token subject when there is no person (an operator). */
  readonly operator?: string;
};

type EventKind = readonly [weight: number, build: (context: EventContext) => EventDraft];

const REPORT_FIELDS = ['body', 'customerAccounts', 'sensitivity', 'summary', 'tags', 'title'] as const;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const BREAK_GLASS_REASONS = [
  'INC-4821: dashboard shows reports from the wrong org unit, checking scopes',
  'Customer escalation: publication missing for an account review, verifying visibility',
  'On-call: access review backlog blocks quarterly audit, inspecting grants',
  'INC-5107: report counts differ between API and dashboard after org import',
];
const EXCEPTION_REASONS = [
  'Quarter-end analysis for the Builder Relations review',
  'Covering the audit rotation while the regular auditor is on leave',
  'Temporary admin for the org import migration',
  'Analyst access for the adoption study',
];
const REVIEW_NOTES = ['Still needed for the quarterly analysis', 'Role change: no longer needed', 'Confirmed with the manager', 'Expired project, revoke'];
const OPERATION_NAMES = ['ReportsByTeam', 'AuditTrail', 'AccessReview', 'ExplainAccess', 'ReportDetail', null];

const report = (action: string, decision: 'ALLOW' | 'DENY', actor: PersonRecord, subjectId: string | null, rest: Partial<EventDraft> = {}): EventDraft => ({
  action: `report.${action}`,
  subjectType: 'Report',
  subjectId,
  decision,
  reason: null,
  details: {},
  actor,
  ...rest,
});

const governance = (action: string, subjectType: string, actor: PersonRecord, subjectId: string | null, rest: Partial<EventDraft> = {}): EventDraft => ({
  action,
  subjectType,
  subjectId,
  decision: 'ALLOW',
  reason: null,
  details: {},
  actor,
  ...rest,
});

const denied = (reason: string) => ({ decision: 'DENY' as const, reason });

/** A few distinct fields, sorted as the resolvers record them. */
function someFields(random: Random, min: number, max: number, always: readonly string[] = []): string[] {
  const chosen = new Set<string>(always);
  const wanted = always.length + random.int(min, max);
  while (chosen.size < wanted) chosen.add(random.pick(REPORT_FIELDS));
  return [...chosen].sort();
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Looks like a SHA-256 hex digest (a snapshot hash). */
const digest = (c: EventContext) => `${c.uuid()}${c.uuid()}`.replaceAll('-', '');

export const EVENT_KINDS: readonly EventKind[] = [
  [15, (c) => report('create', 'ALLOW', c.builder(), c.reportId(), { details: { fields: someFields(c.random, 0, 3, ['title']) } })],
  [28, (c) => report('update', 'ALLOW', c.builder(), c.reportId(), { details: { from: 'DRAFT', to: 'DRAFT', fields: someFields(c.random, 1, 3) } })],
  [
    12,
    // A report sent back earlier carries a review note, which submitting clears.
    (c) => report('submit', 'ALLOW', c.builder(), c.reportId(), { details: { from: 'DRAFT', to: 'IN_REVIEW', fields: c.random.chance(0.15) ? ['reviewNote', 'status'] : ['status'] } }),
  ],
  [10, (c) => report('publish', 'ALLOW', c.manager(), c.reportId(), { details: { from: 'IN_REVIEW', to: 'PUBLISHED', fields: ['publishedAt', 'status'] } })],
  [2, (c) => report('return', 'ALLOW', c.manager(), c.reportId(), { details: { from: 'IN_REVIEW', to: 'DRAFT', fields: ['reviewNote', 'status'] } })],
  [4, (c) => report('archive', 'ALLOW', c.builder(), c.reportId(), { details: { from: 'PUBLISHED', to: 'ARCHIVED', fields: ['status'] } })],
  [2, (c) => report('update', 'DENY', c.builder(), c.reportId(), denied('not found or not visible'))],
  [2.5, (c) => report('publish', 'DENY', c.builder(), c.reportId(), denied('not permitted'))],
  [0.5, (c) => report('submit', 'DENY', c.builder(), c.reportId(), denied('not permitted'))],
  [0.5, (c) => report('archive', 'DENY', c.anyone(), c.reportId(), denied('not found or not visible'))],
  [1.5, (c) => report('create', 'DENY', c.outsider(), null, denied('not a builder'))],
  [
    1.2,
    (c) => {
      const sessionId = c.uuid();
      const operationName = c.random.pick(OPERATION_NAMES);
      return governance('breakglass.access', 'BreakGlass', c.admin(), sessionId, { details: { sessionId, operationName, operationType: 'query' } });
    },
  ],
  [
    0.1,
    (c) => {
      const sessionId = c.uuid();
      const minutes = c.random.pick([15, 30, 60, 120]);
      return governance('breakglass.start', 'BreakGlass', c.admin(), sessionId, {
        reason: c.random.pick(BREAK_GLASS_REASONS),
        details: { sessionId, minutes, expiresAt: iso(c.at + minutes * MINUTE_MS) },
      });
    },
  ],
  [
    0.08,
    (c) => {
      const sessionId = c.uuid();
      return governance('breakglass.end', 'BreakGlass', c.admin(), sessionId, {
        details: { sessionId, startedAt: iso(c.at - c.random.int(5, 90) * MINUTE_MS), endedAt: iso(c.at) },
      });
    },
  ],
  [0.05, (c) => governance('breakglass.start', 'BreakGlass', c.outsider(), null, denied('not an admin'))],
  [
    0.15,
    (c) => {
      const grantee = c.anyone();
      return governance('exception.grant', 'RoleException', c.admin(), c.uuid(), {
        reason: c.random.pick(EXCEPTION_REASONS),
        details: {
          personId: grantee.id,
          role: c.random.pick(['analyst', 'auditor', 'admin']),
          expiresAt: iso(c.at + c.random.int(7, 90) * DAY_MS),
          status: 'PENDING',
        },
      });
    },
  ],
  [
    0.12,
    (c) =>
      governance('exception.approve', 'RoleException', c.admin(), c.uuid(), {
        details: {
          personId: c.anyone().id,
          role: c.random.pick(['analyst', 'auditor']),
          requestedBy: c.admin().id,
          expiresAt: iso(c.at + c.random.int(7, 90) * DAY_MS),
        },
      }),
  ],
  [
    0.05,
    (c) => governance('exception.revoke', 'RoleException', c.admin(), c.uuid(), { details: { personId: c.anyone().id, role: 'analyst', from: 'ACTIVE' } }),
  ],
  [0.03, (c) => governance('exception.grant', 'RoleException', c.admin(), null, denied('self-grant'))],
  [0.03, (c) => governance('exception.approve', 'RoleException', c.admin(), c.uuid(), denied('requester or grantee may not approve'))],
  [
    1,
    (c) => {
      const person = c.anyone();
      const decision = c.random.chance(0.85) ? 'KEEP' : 'REVOKE';
      const exception = c.random.chance(0.5);
      return governance('access.review', 'AccessGrant', c.manager(), exception ? `exception:${c.uuid()}` : `okta:builder-insights-analysts:${person.id}`, {
        reason: c.random.pick(REVIEW_NOTES),
        details: {
          decision,
          kind: exception ? 'EXCEPTION' : 'OKTA_GROUP',
          personId: person.id,
          role: 'analyst',
          status: 'ACTIVE',
          effect: decision === 'KEEP' ? 'none' : exception ? 'exception revoked' : 'none here: remove the Okta group membership in Okta',
        },
      });
    },
  ],
  [
    0.02,
    (c) => {
      const sequence = c.nextSequence();
      const people = c.random.int(1000, 60_000);
      const source = 'ORG_SNAPSHOT /etc/org/snapshot.json';
      return {
        action: 'org.import',
        subjectType: 'OrgSnapshot',
        subjectId: String(sequence),
        decision: 'ALLOW',
        reason: null,
        actor: null,
        operator: `operator:${source}`,
        details: { people, orgUnits: Math.ceil(people / 40), deactivated: c.random.int(0, 25), sequence, snapshotHash: digest(c), source },
      };
    },
  ],
  [
    0.01,
    (c) =>
      governance('org.import.request', 'OrgImportRequest', c.admin(), c.uuid(), {
        details: { sequence: c.nextSequence(), snapshotHash: digest(c), people: c.random.int(1000, 60_000), orgUnits: c.random.int(25, 1500) },
      }),
  ],
  [
    0.01,
    (c) => {
      const people = c.random.int(1000, 60_000);
      return governance('org.import.approve', 'OrgImportRequest', c.admin(), c.uuid(), {
        details: {
          requestedBy: c.admin().id,
          outcome: 'applied',
          sequence: c.nextSequence(),
          snapshotHash: digest(c),
          people,
          orgUnits: Math.ceil(people / 40),
          deactivated: c.random.int(0, 25),
        },
      });
    },
  ],
];
