/**
 * Governance over HTTP: a dev-mode gateway, its personas, and the audit trail read back as the
 * auditor persona, so that "exactly one event per mutation" is checked on any database.
 */
import { expect } from 'vitest';
import { codes, personaClient, type GraphQLResponse } from '../../support/graphql-client.ts';

export type Client = ReturnType<typeof personaClient>;

/** Alan's demo draft: only he and his managers read it, admins included only under break-glass. */
export const ALANS_DRAFT = '00000000-0000-4000-8000-000000000001';

export const LONG_REASON = 'Incident INC-4711: customer escalation needs the full report trail';

export interface AuditNode {
  id: string;
  action: string;
  decision: 'ALLOW' | 'DENY';
  actorId: string | null;
  subjectType: string;
  subjectId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

const EVENTS = `query($first: Int) {
  auditEvents(first: $first) { totalCount edges { node { id action decision actorId subjectType subjectId reason details } } }
}`;

/** The data of a response that must carry no error. */
export function dataOf<T>(response: GraphQLResponse): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as T;
}

async function auditTotal(client: Client): Promise<number> {
  return dataOf<{ auditEvents: { totalCount: number } }>(await client.as('auditor').query(EVENTS, { first: 0 })).auditEvents.totalCount;
}

/** The audit events written while `action` ran, oldest first (reading the trail writes none). */
export async function eventsDuring(client: Client, action: () => Promise<unknown>): Promise<AuditNode[]> {
  const before = await auditTotal(client);
  await action();
  const added = (await auditTotal(client)) - before;
  if (added === 0) return [];
  const page = dataOf<{ auditEvents: { edges: { node: AuditNode }[] } }>(await client.as('auditor').query(EVENTS, { first: added }));
  return page.auditEvents.edges.map((edge) => edge.node).reverse();
}

/** Runs a request and returns it with the audit events it wrote. */
export async function audited(client: Client, persona: string, query: string, variables?: Record<string, unknown>) {
  let response: GraphQLResponse | undefined;
  const events = await eventsDuring(client, async () => (response = await client.as(persona).query(query, variables)));
  return { response: response as GraphQLResponse, events, codes: codes(response as GraphQLResponse) };
}

export async function rolesOf(client: Client, persona: string): Promise<string[]> {
  return dataOf<{ me: { roles: string[] } }>(await client.as(persona).query('{ me { roles } }')).me.roles;
}

/** Polls until `check` holds (background writes such as group sightings land shortly after). */
export async function eventually<T>(load: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await load();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
