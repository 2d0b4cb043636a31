/** Reading org-API answers in tests: data without errors, and connections collected page by page. */
import { expect } from 'vitest';
import type { GraphQLResponse } from '../../support/graphql-client.ts';

export interface PersonNode {
  id: string;
  displayName: string;
  email?: string | null;
  active?: boolean;
}

export interface Connection<T = PersonNode> {
  totalCount: number;
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The data of a response that must carry no error. */
export function dataOf<T>(response: GraphQLResponse): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data as T;
}

export interface Collected<T> {
  readonly nodes: T[];
  readonly pages: number;
  readonly totalCounts: number[];
}

/** Follows `endCursor` until `hasNextPage` is false (with a bound, so a loop cannot hang). */
export async function collectPages<T>(fetchPage: (after: string | null) => Promise<Connection<T>>): Promise<Collected<T>> {
  const nodes: T[] = [];
  const totalCounts: number[] = [];
  let after: string | null = null;
  for (let pages = 1; pages <= 200; pages += 1) {
    const page = await fetchPage(after);
    nodes.push(...page.edges.map((edge) => edge.node));
    totalCounts.push(page.totalCount);
    if (page.edges.length > 0) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
    if (!page.pageInfo.hasNextPage) return { nodes, pages, totalCounts };
    expect(page.edges.length).toBeGreaterThan(0);
    after = page.pageInfo.endCursor;
  }
  throw new Error('more than 200 pages');
}

export const sorted = (ids: Iterable<string>): string[] => [...ids].sort();
