/**
 * The shape of a report query clients ask for — filters and order — as SQL. None of this is
 * authorization: the policy Scope is always added alongside (db/repositories/reports.ts).
 */
import { and, arrayOverlaps, asc, desc, eq, gte, inArray, lt, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { reports, type ReportRow } from '../schema.ts';

export interface ReportFilterValues {
  readonly status?: readonly ReportRow['status'][] | null;
  readonly sensitivity?: readonly ReportRow['sensitivity'][] | null;
  readonly orgUnitId?: string | null;
  readonly includeSubUnits?: boolean | null;
  readonly authorId?: string | null;
  readonly tagsAny?: readonly string[] | null;
  readonly createdFrom?: Date | null;
  readonly createdTo?: Date | null;
  readonly publishedFrom?: Date | null;
  readonly publishedTo?: Date | null;
  readonly search?: string | null;
}

/** LIKE treats % and _ as wildcards: a search for "50%" means those characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

export function reportFilterSql(filter: ReportFilterValues | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const conditions: (SQL | undefined)[] = [
    filter.status?.length ? inArray(reports.status, [...filter.status]) : undefined,
    filter.sensitivity?.length ? inArray(reports.sensitivity, [...filter.sensitivity]) : undefined,
    filter.orgUnitId
      ? filter.includeSubUnits
        ? sql`${reports.orgUnitId} in (select descendant_id from org_unit_closure where ancestor_id = ${filter.orgUnitId})`
        : eq(reports.orgUnitId, filter.orgUnitId)
      : undefined,
    filter.authorId ? eq(reports.authorId, filter.authorId) : undefined,
    filter.tagsAny?.length ? arrayOverlaps(reports.tags, [...filter.tagsAny]) : undefined,
    filter.createdFrom ? gte(reports.createdAt, filter.createdFrom) : undefined,
    filter.createdTo ? lt(reports.createdAt, filter.createdTo) : undefined,
    filter.publishedFrom ? gte(reports.publishedAt, filter.publishedFrom) : undefined,
    filter.publishedTo ? lt(reports.publishedAt, filter.publishedTo) : undefined,
    filter.search
      ? sql`(${reports.title} ilike ${likePattern(filter.search)} or ${reports.summary} ilike ${likePattern(filter.search)})`
      : undefined,
  ];
  return and(...conditions);
}

export type ReportOrderField = 'CREATED_AT' | 'UPDATED_AT' | 'PUBLISHED_AT' | 'TITLE';
export type OrderDirection = 'ASC' | 'DESC';

export interface ReportOrderValues {
  readonly field: ReportOrderField;
  readonly direction: OrderDirection;
}

export const DEFAULT_REPORT_ORDER: ReportOrderValues = { field: 'CREATED_AT', direction: 'DESC' };

/**
 * The sort key of an order. publishedAt is null until publication: unpublished reports sort
 * last in either direction, via ±infinity, so that keyset paging compares no NULLs.
 */
function sortKey(order: ReportOrderValues): SQL {
  switch (order.field) {
    case 'CREATED_AT':
      return sql`${reports.createdAt}`;
    case 'UPDATED_AT':
      return sql`${reports.updatedAt}`;
    case 'PUBLISHED_AT':
      return order.direction === 'DESC'
        ? sql`coalesce(${reports.publishedAt}, '-infinity'::timestamptz)`
        : sql`coalesce(${reports.publishedAt}, 'infinity'::timestamptz)`;
    case 'TITLE':
      return sql`${reports.title}`;
  }
}

/** The sort key's value for a row, as the cursor carries it. */
export function sortValueOf(order: ReportOrderValues, row: ReportRow): string {
  switch (order.field) {
    case 'CREATED_AT':
      return row.createdAt.toISOString();
    case 'UPDATED_AT':
      return row.updatedAt.toISOString();
    case 'PUBLISHED_AT':
      return row.publishedAt ? row.publishedAt.toISOString() : order.direction === 'DESC' ? '-infinity' : 'infinity';
    case 'TITLE':
      return row.title;
  }
}

export function orderBySql(order: ReportOrderValues): SQL[] {
  const key = sortKey(order);
  return order.direction === 'DESC' ? [desc(key), desc(reports.id)] : [asc(key), asc(reports.id)];
}

/** Rows strictly after (value, id) in the order: one row comparison, index-friendly; the position's values are placeholders of a prepared read. */
export function afterSql(order: ReportOrderValues, position: { value: Placeholder; id: Placeholder }): SQL {
  const key = sortKey(order);
  const value = order.field === 'TITLE' ? sql`${position.value}` : sql`${position.value}::timestamptz`;
  return order.direction === 'DESC'
    ? sql`(${key}, ${reports.id}) < (${value}, ${position.id}::uuid)`
    : sql`(${key}, ${reports.id}) > (${value}, ${position.id}::uuid)`;
}
