/** The audit trail as auditors read it: newest first, filtered, within the caller's scope. */
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { auditEvents, type AuditEventRow } from '../schema.ts';
import { scopeCondition, type Scope } from '../scope.ts';

export interface AuditFilterValues {
  readonly actorId?: string | null;
  readonly action?: string | null;
  readonly subjectType?: string | null;
  readonly subjectId?: string | null;
  readonly decision?: 'ALLOW' | 'DENY' | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
}

export function auditFilterSql(filter: AuditFilterValues | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  return and(
    filter.actorId ? eq(auditEvents.actorId, filter.actorId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.subjectType ? eq(auditEvents.subjectType, filter.subjectType) : undefined,
    filter.subjectId ? eq(auditEvents.subjectId, filter.subjectId) : undefined,
    filter.decision ? eq(auditEvents.decision, filter.decision) : undefined,
    filter.from ? gte(auditEvents.occurredAt, filter.from) : undefined,
    filter.to ? lt(auditEvents.occurredAt, filter.to) : undefined,
  );
}

export async function listAuditEvents(
  db: Executor,
  scope: Scope,
  options: { first: number; afterId?: number; filter?: SQL },
): Promise<{ rows: AuditEventRow[]; hasNextPage: boolean }> {
  if (scope.kind === 'none') return { rows: [], hasNextPage: false };
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(scopeCondition(scope), options.filter, options.afterId ? lt(auditEvents.id, options.afterId) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(options.first + 1);
  return { rows: rows.slice(0, options.first), hasNextPage: rows.length > options.first };
}

export async function countAuditEvents(db: Executor, scope: Scope, filter?: SQL): Promise<number> {
  if (scope.kind === 'none') return 0;
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(auditEvents).where(and(scopeCondition(scope), filter));
  return row?.count ?? 0;
}
