/**
 * Captures, per workload and principal, the statements the gateway sends for one request (a
 * gateway started with BENCH_SQL_CAPTURE_FILE), and the naive aggregate statement for W3/W4
 * (every report under the policy, counted row by row), built here by the same repository.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { resolvePrincipal } from '../auth/principal.ts';
import type { Database } from '../db/client.ts';
import { reportBuckets, type Dimension } from '../db/repositories/report-stats.ts';
import * as schema from '../db/schema.ts';
import { reportScope } from '../policies/access.ts';
import { buildAbility } from '../policies/index.ts';
import { viewerOf } from '../policies/principal.ts';
import { statementsSince, type ReplayStatement } from './statements.ts';
import type { Workload, WorkloadIds } from './workloads.ts';

export interface Principal {
  readonly name: 'leaf' | 'mid' | 'vp' | 'auditor';
  readonly personId: string;
  readonly email: string;
  readonly oktaId: string;
  readonly groups: readonly string[];
}

/** Sends a workload's requests once; returns the last response body, parsed. */
export async function send(url: string, token: string, workload: Workload, ids: WorkloadIds): Promise<unknown> {
  let body: unknown;
  let reportId: string | undefined;
  for (const request of workload.requests(ids)) {
    const variables = request.variables ?? (reportId ? { id: reportId } : undefined);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...request, variables }),
    });
    body = await response.json();
    reportId = (body as { data?: { createReport?: { id?: string } } }).data?.createReport?.id ?? reportId;
  }
  return body;
}

/**
 * The statements of one request. Taken twice, keeping the shorter: the gateway's periodic work
 * (org age, audit head) may slip a statement into one capture, rarely into both.
 */
export async function captureRequest(
  captureFile: string,
  run: () => Promise<unknown>,
): Promise<ReplayStatement[]> {
  const captures: ReplayStatement[][] = [];
  let offset = (await statementsSince(captureFile, 0)).end;
  for (let attempt = 0; attempt < 2; attempt++) {
    await run();
    const { statements, end } = await statementsSince(captureFile, offset);
    captures.push(statements);
    offset = end;
  }
  return captures.reduce((shortest, current) => (current.length < shortest.length ? current : shortest));
}

/** Principal lookup, then the aggregate counted over report rows: what a plain GROUP BY costs. */
export async function captureNaiveAggregate(databaseUrl: string, principal: Principal, dimensions: readonly Dimension[]): Promise<ReplayStatement[]> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const captured: ReplayStatement[] = [];
  const db = drizzle({ client, schema, logger: { logQuery: (sql, params) => captured.push({ sql, params }) } }) as unknown as Database;
  try {
    const token = { subject: principal.email, oktaUserId: principal.oktaId, groups: [...principal.groups], scopes: ['insights.read'], issuedAt: new Date(), expiresAt: new Date() };
    const viewer = viewerOf(await resolvePrincipal(db, token));
    await reportBuckets(db, { rows: reportScope(buildAbility(viewer), 'aggregate') }, dimensions);
    return captured;
  } finally {
    await client.end();
  }
}
