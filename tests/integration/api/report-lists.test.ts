/**
 * Lists and aggregates over HTTP, checked against the visible set itself: every filter equals
 * filtering all visible reports in the test, every order pages to the end without duplicates
 * or gaps (new reports arriving meanwhile), and aggregates equal counting one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { codes, personaClient } from '../../support/graphql-client.ts';

interface Row {
  id: string;
  title: string;
  summary: string;
  status: string;
  sensitivity: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  author: { id: string };
  orgUnit: { id: string };
}
interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: Row }[];
}

const NODE = 'id title summary status sensitivity tags createdAt updatedAt publishedAt author { id } orgUnit { id }';
type Client = ReturnType<typeof personaClient>;

async function allPages(client: Client, persona: string, options: { filter?: object; orderBy?: object; first?: number; between?: () => Promise<void> } = {}) {
  const rows: Row[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let guard = 0; guard < 500; guard += 1) {
    const response = await client
      .as(persona)
      .query(`query($first: Int, $after: String, $filter: ReportFilter, $orderBy: ReportOrder) { reports(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${NODE} } } } }`, {
        first: options.first ?? 100,
        after,
        filter: options.filter,
        orderBy: options.orderBy,
      });
    expect(response.body.errors).toBeUndefined();
    const page = response.body.data?.reports as Page;
    if (totalCount < 0) totalCount = page.totalCount;
    rows.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return { rows, totalCount };
    after = page.pageInfo.endCursor;
    await options.between?.();
  }
  throw new Error('paging did not end');
}

describe('report lists and aggregates', () => {
  let gateway: GatewayProcess;
  let client: Client;
  /** Everything the director may read right now (another test adds reports). */
  const visibleNow = async () => (await allPages(client, 'director')).rows;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  it('pages to the end in every order without duplicates or gaps', async () => {
    const visible = await visibleNow();
    const ids = new Set(visible.map((row) => row.id));
    expect(ids.size).toBe(visible.length);
    for (const field of ['CREATED_AT', 'UPDATED_AT', 'PUBLISHED_AT', 'TITLE']) {
      for (const direction of ['ASC', 'DESC']) {
        const { rows, totalCount } = await allPages(client, 'director', { orderBy: { field, direction }, first: 17 });
        expect(rows.map((row) => row.id).sort(), `${field} ${direction}`).toEqual([...ids].sort());
        expect(totalCount).toBe(ids.size);
        const keys = rows.map((row) => (field === 'TITLE' ? row.title : field === 'PUBLISHED_AT' ? row.publishedAt : field === 'UPDATED_AT' ? row.updatedAt : row.createdAt));
        const published = keys.filter((key) => key !== null) as string[];
        const sorted = [...published].sort((a, b) => (field === 'TITLE' ? 0 : Date.parse(a) - Date.parse(b)));
        if (field !== 'TITLE') expect(published).toEqual(direction === 'ASC' ? sorted : sorted.reverse());
        if (field === 'PUBLISHED_AT') expect(keys.slice(published.length).every((key) => key === null)).toBe(true);
      }
    }
  });

  it('keeps paging consistent while new reports arrive', async () => {
    const before = new Set((await allPages(client, 'builder')).rows.map((row) => row.id));
    let created = 0;
    const { rows } = await allPages(client, 'builder', {
      first: 9,
      between: async () => {
        created += 1;
        await client.as('builder').query(`mutation { createReport(input: { title: "arrived during paging ${created}" }) { id } }`);
      },
    });
    const seen = rows.map((row) => row.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.has(id)).sort()).toEqual([...before].sort());
    expect(created).toBeGreaterThan(2);
  });

  it.each<[string, object, (row: Row) => boolean]>([
    ['status', { status: ['PUBLISHED', 'ARCHIVED'] }, (row) => ['PUBLISHED', 'ARCHIVED'].includes(row.status)],
    ['sensitivity', { sensitivity: ['CONFIDENTIAL'] }, (row) => row.sensitivity === 'CONFIDENTIAL'],
    ['org unit', { orgUnitId: 'ou-br-advocacy-americas' }, (row) => row.orgUnit.id === 'ou-br-advocacy-americas'],
    ['org unit subtree', { orgUnitId: 'ou-br-advocacy', includeSubUnits: true }, (row) => row.orgUnit.id.startsWith('ou-br-advocacy')],
    ['author', { authorId: 'p-alan' }, (row) => row.author.id === 'p-alan'],
    ['tags', { tagsAny: ['sdk', 'pricing'] }, (row) => row.tags.some((tag) => tag === 'sdk' || tag === 'pricing')],
    ['created range', { createdFrom: '2026-08-01T00:00:00Z', createdTo: '2026-10-01T00:00:00Z' }, (row) => row.createdAt >= '2026-08-01T00:00:00' && row.createdAt < '2026-10-01T00:00:00'],
    ['published range', { publishedFrom: '2026-09-01T00:00:00Z' }, (row) => row.publishedAt !== null && row.publishedAt >= '2026-09-01T00:00:00'],
    ['search', { search: 'SDK' }, (row) => `${row.title}\n${row.summary}`.toLowerCase().includes('sdk')],
    ['search with wildcards', { search: '%' }, (row) => `${row.title}${row.summary}`.includes('%')],
  ])('filters by %s exactly like filtering the visible set', async (_name, filter, predicate) => {
    const visible = await visibleNow();
    const expected = visible.filter(predicate).map((row) => row.id).sort();
    const { rows, totalCount } = await allPages(client, 'director', { filter });
    expect(rows.map((row) => row.id).sort()).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it('counts in reportStats exactly what the list shows, dimension by dimension', async () => {
    const visible = await visibleNow();
    const response = await client.as('director').query('{ reportStats(groupBy: [STATUS, SENSITIVITY, ORG_UNIT]) { status sensitivity orgUnit { id } count suppressed } }');
    const buckets = response.body.data?.reportStats as { status: string; sensitivity: string; orgUnit: { id: string }; count: number }[];
    const expected = new Map<string, number>();
    for (const row of visible) {
      const key = `${row.status}|${row.sensitivity}|${row.orgUnit.id}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(buckets.map((bucket) => [`${bucket.status}|${bucket.sensitivity}|${bucket.orgUnit.id}`, bucket.count]))).toEqual(expected);
  });

  it('groups by ISO week (Monday, UTC) and zero-fills trends', async () => {
    const visible = await visibleNow();
    const weeks = (await client.as('director').query('{ reportStats(groupBy: [WEEK]) { week count } }')).body.data?.reportStats as { week: string; count: number }[];
    expect(weeks.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(visible.length);
    for (const bucket of weeks) expect(new Date(bucket.week).getUTCDay()).toBe(1);
    const trend = (await client.as('director').query('{ reportTrend(interval: DAY, from: "2026-10-01T00:00:00Z", to: "2026-10-11T00:00:00Z") { start count } }')).body.data?.reportTrend as { start: string; count: number }[];
    expect(trend.map((point) => point.start.slice(0, 10))).toEqual(Array.from({ length: 10 }, (_, day) => `2026-10-${String(day + 1).padStart(2, '0')}`));
    const inRange = visible.filter((row) => row.createdAt >= '2026-10-01T00:00:00' && row.createdAt < '2026-10-11T00:00:00').length;
    expect(trend.reduce((sum, point) => sum + point.count, 0)).toBe(inRange);
  });

  it('floors dashboard buckets at 5 and withholds no more than asked from people', async () => {
    const dashboard = (await client.as('dashboard').query('{ reportStats(groupBy: [ORG_UNIT, WEEK], minBucketSize: 1) { count suppressed } }')).body.data?.reportStats as { count: number; suppressed: boolean }[];
    const shown = dashboard.filter((bucket) => !bucket.suppressed);
    expect(shown.every((bucket) => bucket.count >= 5)).toBe(true);
    expect(dashboard.filter((bucket) => bucket.suppressed)).toHaveLength(1);
    const person = (await client.as('director').query('{ reportStats(groupBy: [ORG_UNIT, WEEK], minBucketSize: 3) { count suppressed } }')).body.data?.reportStats as { count: number; suppressed: boolean }[];
    expect(person.filter((bucket) => !bucket.suppressed).every((bucket) => bucket.count >= 3)).toBe(true);
    expect(codes(await client.as('dashboard').query('{ reportStats(groupBy: [AUTHOR]) { count } }'))).toEqual(['FORBIDDEN']);
  });
});
