/**
 * graphql-jit against graphql-js (GRAPHQL_EXECUTOR): two gateways on the same demo data, one per
 * executor, answer every document below for every persona with the same status and the same
 * body, errors included (masking, codes, paths and locations come out of one error map either
 * way). The documents cover lists, nested objects, hidden fields nulled with FORBIDDEN, nulls
 * bubbling to a nullable parent, bad variables, aggregates, fragments, aliases and directives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonas } from '../../../db/seed/demo.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaToken } from '../../support/graphql-client.ts';

const DOCUMENTS: readonly { name: string; query: string; variables?: Record<string, unknown>; operationName?: string }[] = [
  { name: 'me', query: '{ me { person { id displayName } roles scopes } }' },
  {
    name: 'page with hidden fields',
    query: '{ reports(first: 20) { totalCount edges { cursor node { id title status sensitivity customerAccounts author { id displayName manager { id } } orgUnit { id name } } } pageInfo { hasNextPage endCursor } } }',
  },
  { name: 'one report', query: 'query($id: ID!) { report(id: $id) { id title summary body tags customerAccounts } }', variables: { id: '00000000-0000-4000-8000-000000000004' } },
  { name: 'malformed id', query: 'query($id: ID!) { report(id: $id) { id } }', variables: { id: 'not-a-uuid' } },
  { name: 'bad variable', query: 'query($first: Int) { reports(first: $first) { totalCount } }', variables: { first: 'many' } },
  { name: 'first above 100', query: '{ reports(first: 101) { totalCount } }' },
  { name: 'stats', query: '{ reportStats(groupBy: [STATUS, ORG_UNIT]) { status orgUnit { id name } count } }' },
  { name: 'people and chains', query: '{ people(first: 10) { edges { node { id displayName reportingChain { id } directReports { id } } } } }' },
  { name: 'audit', query: '{ auditEvents(first: 5) { edges { node { id action decision } } } }' },
  {
    name: 'fragments, aliases, directives',
    query: `query($withUnit: Boolean!) { first: reports(first: 3) { edges { node { ...R } } } again: reports(first: 2) { edges { node { ...R orgUnit @include(if: $withUnit) { id } } } } }
            fragment R on Report { id title author @skip(if: $withUnit) { id } }`,
    variables: { withUnit: true },
  },
  { name: 'explain', query: '{ explainAccess(action: "read", subjectType: "Report", subjectId: "00000000-0000-4000-8000-000000000004") { allowed } }' },
  { name: 'named operation', query: 'query A { me { roles } } query B { orgUnits { id } }', operationName: 'B' },
  { name: 'unknown operation name', query: 'query A { me { roles } }', operationName: 'Nope' },
  { name: 'several operations, none named', query: 'query A { me { roles } } query B { orgUnits { id } }' },
  { name: 'forbidden mutation', query: 'mutation { publishReport(id: "00000000-0000-4000-8000-000000000001") { id } }' },
];

describe('the jit executor answers as graphql-js does', () => {
  let jit: GatewayProcess;
  let reference: GatewayProcess;

  beforeAll(async () => {
    [jit, reference] = await Promise.all([
      startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://', GRAPHQL_EXECUTOR: 'jit' }),
      startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://', GRAPHQL_EXECUTOR: 'graphql-js' }),
    ]);
  }, 120_000);
  afterAll(async () => Promise.all([jit?.stop(), reference?.stop()]));

  it('says which executor runs (auto picks jit when no traces are exported)', async () => {
    const listening = (gateway: GatewayProcess) => gateway.logs.find((entry) => entry.message === 'listening');
    expect(listening(jit)).toMatchObject({ executor: 'jit' });
    expect(listening(reference)).toMatchObject({ executor: 'graphql-js' });
  });

  it.each(demoPersonas.map((persona) => persona.key))('same status and body for every document, as %s', async (persona) => {
    const tokens = await Promise.all([personaToken(jit.url, persona), personaToken(reference.url, persona)]);
    let errors = 0;
    for (const document of DOCUMENTS) {
      const [fromJit, fromReference] = await Promise.all([send(jit.url, tokens[0], document), send(reference.url, tokens[1], document)]);
      expect({ document: document.name, status: fromJit.status, body: withoutVolatile(fromJit.body) }).toEqual({
        document: document.name,
        status: fromReference.status,
        body: withoutVolatile(fromReference.body),
      });
      errors += fromJit.body.errors?.length ?? 0;
    }
    // The documents do reach error paths (bad variables at least), so the comparison covers them.
    expect(errors).toBeGreaterThan(0);
  });
});

async function send(url: string, token: string, document: (typeof DOCUMENTS)[number]) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document.query, variables: document.variables, operationName: document.operationName }),
  });
  return { status: response.status, body: (await response.json()) as { errors?: unknown[] } };
}

/** Audit event ids and times differ between two databases; everything else must not. */
function withoutVolatile(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key: string, value: unknown) => (key === 'requestId' || key === 'traceId' ? undefined : value));
}
