/**
 * Privileged access in the database (DESIGN §4): break-glass sessions, role exceptions, staged
 * org imports, access reviews and the Okta groups people were seen with. Every "in force"
 * decision compares with the database clock (`now()`), so that replicas agree and expiry needs
 * no job. Callers pass the transaction that also writes the audit event.
 */
import { and, asc, count, desc, eq, getTableColumns, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  accessReviews,
  breakGlassSessions,
  groupSightings,
  orgImportRequests,
  roleExceptions,
  type AccessReviewRow,
  type BreakGlassRow,
  type OrgImportRequestRow,
  type RoleExceptionRow,
} from '../governance-schema.ts';
import { rows } from '../rows.ts';
import { orgImports, people } from '../schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Governance rows have uuid ids: anything else names nothing (and must not reach SQL as one). */
export function isGovernanceId(id: string): boolean {
  return UUID.test(id);
}

/** The database clock, which every expiry is compared with. */
export async function databaseNow(executor: Executor): Promise<Date> {
  const [row] = await rows<{ now: string | Date }>(executor, sql`select now() as now`);
  return new Date(row?.now ?? Number.NaN);
}

/** Serialises one person's privileged changes (two starts at once must not both pass the checks). */
export async function lockPerson(executor: Executor, personId: string): Promise<void> {
  await executor.execute(sql`select pg_advisory_xact_lock(hashtext(${`governance:${personId}`}))`);
}

// ─── Break-glass ──────────────────────────────────────────────────────────────────────────────

export type SessionStatus = 'ACTIVE' | 'ENDED' | 'EXPIRED';
export interface BreakGlassRecord extends BreakGlassRow {
  readonly status: SessionStatus;
}

const sessionColumns = {
  ...getTableColumns(breakGlassSessions),
  status: sql<SessionStatus>`case when ${breakGlassSessions.endedAt} is not null then 'ENDED'
    when ${breakGlassSessions.expiresAt} <= now() then 'EXPIRED' else 'ACTIVE' end`,
};

/** Open (not ended) and unexpired sessions: the alertable gauge. */
export async function activeBreakGlassSessions(db: Executor): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(breakGlassSessions)
    .where(and(isNull(breakGlassSessions.endedAt), gt(breakGlassSessions.expiresAt, sql`now()`)));
  return Number(row?.value ?? 0);
}

export async function findSession(executor: Executor, id: string): Promise<BreakGlassRecord | undefined> {
  if (!isGovernanceId(id)) return undefined;
  const [row] = await executor.select(sessionColumns).from(breakGlassSessions).where(eq(breakGlassSessions.id, id));
  return row;
}

/** The person's session in force (not ended, unexpired), locked. */
export async function findActiveSession(executor: Executor, personId: string): Promise<BreakGlassRecord | undefined> {
  const [row] = await executor
    .select(sessionColumns)
    .from(breakGlassSessions)
    .where(and(eq(breakGlassSessions.personId, personId), isNull(breakGlassSessions.endedAt), gt(breakGlassSessions.expiresAt, sql`now()`)))
    .for('update');
  return row;
}

/** A session that expired without being ended is closed as of its expiry (one open per person). */
export async function closeLapsedSessions(executor: Executor, personId: string): Promise<void> {
  await executor
    .update(breakGlassSessions)
    .set({ endedAt: sql`${breakGlassSessions.expiresAt}` })
    .where(and(eq(breakGlassSessions.personId, personId), isNull(breakGlassSessions.endedAt), sql`${breakGlassSessions.expiresAt} <= now()`));
}

export async function insertSession(
  executor: Executor,
  values: { personId: string; reason: string; minutes: number },
): Promise<BreakGlassRecord> {
  const [row] = await executor
    .insert(breakGlassSessions)
    .values({
      personId: values.personId,
      reason: values.reason,
      expiresAt: sql`now() + make_interval(mins => ${values.minutes}::int)`,
    })
    .returning();
  return { ...(row as BreakGlassRow), status: 'ACTIVE' };
}

export async function endSession(executor: Executor, id: string): Promise<BreakGlassRecord> {
  const [row] = await executor.update(breakGlassSessions).set({ endedAt: sql`now()` }).where(eq(breakGlassSessions.id, id)).returning();
  return { ...(row as BreakGlassRow), status: 'ENDED' };
}

/** Marks a session reviewed; `end` also ends it if it is still open. */
export async function markSessionReviewed(executor: Executor, id: string, reviewerId: string, end: boolean): Promise<void> {
  await executor
    .update(breakGlassSessions)
    .set({
      reviewedAt: sql`now()`,
      reviewedBy: reviewerId,
      ...(end ? { endedAt: sql`coalesce(${breakGlassSessions.endedAt}, least(now(), ${breakGlassSessions.expiresAt}))` } : {}),
    })
    .where(eq(breakGlassSessions.id, id));
}

// ─── Role exceptions ──────────────────────────────────────────────────────────────────────────

export type ExceptionStatus = 'PENDING' | 'ACTIVE' | 'EXPIRED' | 'REVOKED';
export interface RoleExceptionRecord extends RoleExceptionRow {
  readonly status: ExceptionStatus;
}

const exceptionColumns = {
  ...getTableColumns(roleExceptions),
  status: sql<ExceptionStatus>`case when ${roleExceptions.revokedAt} is not null then 'REVOKED'
    when ${roleExceptions.expiresAt} <= now() then 'EXPIRED'
    when ${roleExceptions.approvedAt} is null then 'PENDING' else 'ACTIVE' end`,
};

export async function findException(
  executor: Executor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<RoleExceptionRecord | undefined> {
  if (!isGovernanceId(id)) return undefined;
  const query = executor.select(exceptionColumns).from(roleExceptions).where(eq(roleExceptions.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function insertException(
  executor: Executor,
  values: { personId: string; role: string; reason: string; requestedBy: string; expiresAt: Date },
): Promise<RoleExceptionRecord> {
  const [row] = await executor.insert(roleExceptions).values(values).returning({ id: roleExceptions.id });
  return (await findException(executor, (row as { id: string }).id)) as RoleExceptionRecord;
}

export async function approveException(executor: Executor, id: string, approverId: string): Promise<RoleExceptionRecord> {
  await executor.update(roleExceptions).set({ approvedBy: approverId, approvedAt: sql`now()` }).where(eq(roleExceptions.id, id));
  return (await findException(executor, id)) as RoleExceptionRecord;
}

export async function revokeException(executor: Executor, id: string, revokerId: string): Promise<RoleExceptionRecord> {
  await executor.update(roleExceptions).set({ revokedBy: revokerId, revokedAt: sql`now()` }).where(eq(roleExceptions.id, id));
  return (await findException(executor, id)) as RoleExceptionRecord;
}

/** Whether the org source lists this person as active (grants go to active people only). */
export async function isActivePerson(executor: Executor, personId: string): Promise<boolean> {
  const [row] = await executor.select({ active: people.active }).from(people).where(eq(people.id, personId));
  return row?.active === true;
}

// ─── Staged org imports ───────────────────────────────────────────────────────────────────────

export type OrgImportRequestRecord = Omit<OrgImportRequestRow, 'snapshot'>;
const { snapshot: _snapshot, ...requestColumns } = getTableColumns(orgImportRequests);

export async function insertImportRequest(
  executor: Executor,
  values: Omit<typeof orgImportRequests.$inferInsert, 'id' | 'status' | 'requestedAt' | 'decidedBy' | 'decidedAt' | 'outcome'>,
): Promise<OrgImportRequestRecord> {
  const [row] = await executor.insert(orgImportRequests).values(values).returning(requestColumns);
  return row as OrgImportRequestRecord;
}

/** A staged request with its snapshot, locked for the decision. */
export async function findImportRequestForDecision(executor: Executor, id: string): Promise<OrgImportRequestRow | undefined> {
  if (!isGovernanceId(id)) return undefined;
  const [row] = await executor.select().from(orgImportRequests).where(eq(orgImportRequests.id, id)).for('update');
  return row;
}

export async function decideImportRequest(
  executor: Executor,
  id: string,
  decision: { status: 'APPLIED' | 'REJECTED'; decidedBy: string; outcome: string },
): Promise<OrgImportRequestRecord> {
  const [row] = await executor
    .update(orgImportRequests)
    .set({ ...decision, decidedAt: sql`now()` })
    .where(eq(orgImportRequests.id, id))
    .returning(requestColumns);
  return row as OrgImportRequestRecord;
}

export async function listPendingImportRequests(executor: Executor): Promise<OrgImportRequestRecord[]> {
  return executor
    .select(requestColumns)
    .from(orgImportRequests)
    .where(eq(orgImportRequests.status, 'PENDING'))
    .orderBy(asc(orgImportRequests.requestedAt), asc(orgImportRequests.id));
}

export interface OrgInForce {
  readonly sequence: number;
  readonly generatedAt: Date;
  readonly importedAt: Date;
  readonly snapshotHash: string;
  readonly people: number;
  readonly orgUnits: number;
  /** Age of the snapshot (since generatedAt) by the database clock. */
  readonly ageSeconds: number;
}

export async function orgInForce(executor: Executor): Promise<OrgInForce | undefined> {
  const [row] = await executor
    .select({
      sequence: orgImports.sequence,
      generatedAt: orgImports.generatedAt,
      importedAt: orgImports.importedAt,
      snapshotHash: orgImports.snapshotHash,
      people: orgImports.peopleCount,
      orgUnits: orgImports.orgUnitCount,
      ageSeconds: sql<number>`greatest(0, extract(epoch from (now() - ${orgImports.generatedAt})))::float8`,
    })
    .from(orgImports)
    .orderBy(desc(orgImports.sequence))
    .limit(1);
  return row && { ...row, ageSeconds: Number(row.ageSeconds) };
}

// ─── Group sightings ──────────────────────────────────────────────────────────────────────────

/**
 * Records the role-granting groups a person's token carried: new ones are added (first seen
 * now), carried ones touched, and ones no longer carried removed. One statement.
 */
export async function recordGroupSighting(executor: Executor, personId: string, groups: readonly string[]): Promise<void> {
  const listed = JSON.stringify([...new Set(groups)]);
  await executor.execute(sql`
    with listed(group_name) as (select jsonb_array_elements_text(${listed}::jsonb)),
    removed as (
      delete from group_sightings s
      where s.person_id = ${personId} and not exists (select 1 from listed where listed.group_name = s.group_name)
    )
    insert into group_sightings (person_id, group_name)
    select ${personId}, group_name from listed
    on conflict (person_id, group_name) do update set last_seen_at = now()`);
}

// ─── Access review ────────────────────────────────────────────────────────────────────────────

interface PersonLink {
  readonly personId: string;
  /** The person's manager in the org source: who reviews their grants. */
  readonly managerId: string | null;
  readonly personActive: boolean;
}

export interface GroupGrantRow extends PersonLink {
  readonly groupName: string;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
}
export type ExceptionGrantRow = RoleExceptionRecord & PersonLink;
export type SessionGrantRow = BreakGlassRecord & PersonLink;

/** The grantee's manager and status, by a qualified person id (written by hand: see reports.ts). */
function personLink(table: 'group_sightings' | 'role_exceptions' | 'break_glass_sessions') {
  const personId = sql.raw(`${table}.person_id`);
  return {
    managerId: sql<string | null>`(select m.manager_id from people m where m.id = ${personId})`,
    personActive: sql<boolean>`coalesce((select m.active from people m where m.id = ${personId}), false)`,
  };
}

export async function listGroupGrants(executor: Executor, personId?: string, groupName?: string): Promise<GroupGrantRow[]> {
  return executor
    .select({ ...getTableColumns(groupSightings), ...personLink('group_sightings') })
    .from(groupSightings)
    .where(and(personId === undefined ? undefined : eq(groupSightings.personId, personId), groupName === undefined ? undefined : eq(groupSightings.groupName, groupName)))
    .orderBy(asc(groupSightings.personId), asc(groupSightings.groupName));
}

/** Every exception, pending, active, expired or revoked. */
export async function listExceptionGrants(executor: Executor, id?: string): Promise<ExceptionGrantRow[]> {
  if (id !== undefined && !isGovernanceId(id)) return [];
  return executor
    .select({ ...exceptionColumns, ...personLink('role_exceptions') })
    .from(roleExceptions)
    .where(id === undefined ? undefined : eq(roleExceptions.id, id))
    .orderBy(asc(roleExceptions.personId), asc(roleExceptions.requestedAt), asc(roleExceptions.id));
}

/** Every session until it is reviewed, and any session still in force. */
export async function listSessionGrants(executor: Executor, id?: string): Promise<SessionGrantRow[]> {
  if (id !== undefined && !isGovernanceId(id)) return [];
  const underReview = sql`(${breakGlassSessions.reviewedAt} is null or (${breakGlassSessions.endedAt} is null and ${breakGlassSessions.expiresAt} > now()))`;
  return executor
    .select({ ...sessionColumns, ...personLink('break_glass_sessions') })
    .from(breakGlassSessions)
    .where(id === undefined ? underReview : eq(breakGlassSessions.id, id))
    .orderBy(asc(breakGlassSessions.startedAt), asc(breakGlassSessions.id));
}

/** The latest review of each grant. */
export async function latestReviews(executor: Executor, grantIds: readonly string[]): Promise<Map<string, AccessReviewRow>> {
  if (grantIds.length === 0) return new Map();
  const found = await executor
    .selectDistinctOn([accessReviews.grantId])
    .from(accessReviews)
    .where(sql`${accessReviews.grantId} in (select jsonb_array_elements_text(${JSON.stringify([...new Set(grantIds)])}::jsonb))`)
    .orderBy(accessReviews.grantId, desc(accessReviews.reviewedAt), desc(accessReviews.id));
  return new Map(found.map((row) => [row.grantId, row]));
}

export async function insertAccessReview(
  executor: Executor,
  values: { grantId: string; decision: 'KEEP' | 'REVOKE'; note: string; reviewerId: string },
): Promise<AccessReviewRow> {
  const [row] = await executor.insert(accessReviews).values(values).returning();
  return row as AccessReviewRow;
}
