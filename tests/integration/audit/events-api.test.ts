/** auditEvents over HTTP: auditors and admins read the trail; everyone else sees no rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { codes, personaClient } from '../../support/graphql-client.ts';

const LIST = `query($filter: AuditFilter, $after: String) {
  auditEvents(first: 2, filter: $filter, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id action decision actorId subjectId policyVersion hash prevHash details } }
  }
}`;
interface Node { id: string; action: string; decision: string; actorId: string | null; hash: string; prevHash: string }
interface Page { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Node }[] }

describe('auditEvents', () => {
  let gateway: GatewayProcess;
  let client: ReturnType<typeof personaClient>;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
    for (const title of ['one', 'two', 'three']) await client.as('builder').query(`mutation { createReport(input: { title: "${title}" }) { id } }`);
    await client.as('outsider').query('mutation { createReport(input: { title: "refused" }) { id } }');
  });
  afterAll(async () => gateway?.stop());

  it('shows auditors the trail, newest first, filtered and paged', async () => {
    const first = (await client.as('auditor').query(LIST, { filter: { action: 'report.create', decision: 'ALLOW' } })).body.data?.auditEvents as Page;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((edge) => edge.node)).toMatchObject([
      { action: 'report.create', decision: 'ALLOW', actorId: 'p-alan' },
      { action: 'report.create', decision: 'ALLOW', actorId: 'p-alan' },
    ]);
    expect(Number(first.edges[0]!.node.id)).toBeGreaterThan(Number(first.edges[1]!.node.id));
    const second = (await client.as('auditor').query(LIST, { filter: { action: 'report.create', decision: 'ALLOW' }, after: first.pageInfo.endCursor })).body.data?.auditEvents as Page;
    expect(second.edges).toHaveLength(1);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const denied = (await client.as('admin').query(LIST, { filter: { decision: 'DENY' } })).body.data?.auditEvents as Page;
    expect(denied.edges.map((edge) => edge.node)).toMatchObject([{ action: 'report.create', actorId: 'p-hedy' }]);
  });

  it('shows the demo load and org import at the start of the chain', async () => {
    const imports = (await client.as('auditor').query(LIST, { filter: { action: 'org.import' } })).body.data?.auditEvents as Page;
    expect(imports.edges[0]?.node.prevHash).toMatch(/^0{64}$/);
  });

  it('shows everyone else no rows at all', async () => {
    for (const persona of ['builder', 'analyst', 'manager', 'dashboard', 'inactive']) {
      const response = await client.as(persona).query(LIST, {});
      expect(response.body.data?.auditEvents, persona).toMatchObject({ totalCount: 0, edges: [] });
    }
    expect(codes(await client.as('auditor').query('{ auditEvents(first: 500) { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
  });
});
