/**
 * Role exceptions over HTTP (DESIGN §4): an admin requests, an admin other than the requester and
 * the grantee approves, and the role counts in `me` and explanations from the next request until
 * it is revoked (or expires: role-exceptions-expiry on PostgreSQL, grants-in-force in-process).
 * Nobody grants to themselves; expiry at most 90 days out. Every mutation: exactly one event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaClient } from '../../support/graphql-client.ts';
import { audited, dataOf, inDays, rolesOf, type Client } from './support.ts';

const GRANT = `mutation($personId: ID!, $role: String!, $reason: String!, $expiresAt: DateTime!) {
  grantRoleException(personId: $personId, role: $role, reason: $reason, expiresAt: $expiresAt) { id personId role status requestedBy expiresAt }
}`;
const APPROVE = 'mutation($id: ID!) { approveRoleException(id: $id) { id status approvedBy } }';
const REVOKE = 'mutation($id: ID!) { revokeRoleException(id: $id) { id status revokedBy } }';
const REASON = 'Quarterly revenue analysis for the EMEA sales review';

interface Exception {
  id: string;
  status: string;
}

describe('role exceptions', () => {
  let gateway: GatewayProcess;
  let client: Client;
  const grant = (persona: string, personId: string, role: string, expiresAt = inDays(7), reason = REASON) =>
    audited(client, persona, GRANT, { personId, role, reason, expiresAt });

  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  it('counts only once a second admin approves, at once, and stops at once when revoked', async () => {
    expect(await rolesOf(client, 'outsider')).toEqual(['member']);
    const granted = await grant('admin', 'p-hedy', 'analyst');
    const exception = dataOf<{ grantRoleException: Exception }>(granted.response).grantRoleException;
    expect(exception).toMatchObject({ personId: 'p-hedy', role: 'analyst', status: 'PENDING', requestedBy: 'p-jean' });
    expect(granted.events).toMatchObject([{ action: 'exception.grant', decision: 'ALLOW', actorId: 'p-jean', subjectId: exception.id, reason: REASON }]);
    // Pending: nothing yet.
    expect(await rolesOf(client, 'outsider')).toEqual(['member']);

    const bySameAdmin = await audited(client, 'admin', APPROVE, { id: exception.id });
    expect(bySameAdmin.codes).toEqual(['FORBIDDEN']);
    expect(bySameAdmin.events).toMatchObject([{ action: 'exception.approve', decision: 'DENY', actorId: 'p-jean', subjectId: exception.id }]);
    const byNonAdmin = await audited(client, 'auditor', APPROVE, { id: exception.id });
    expect(byNonAdmin.codes).toEqual(['FORBIDDEN']);
    expect(byNonAdmin.events).toMatchObject([{ action: 'exception.approve', decision: 'DENY', actorId: 'p-annie' }]);
    expect(await rolesOf(client, 'outsider')).toEqual(['member']);

    const approved = await audited(client, 'second-admin', APPROVE, { id: exception.id });
    expect(dataOf<{ approveRoleException: unknown }>(approved.response).approveRoleException).toEqual({ id: exception.id, status: 'ACTIVE', approvedBy: 'p-betty' });
    expect(approved.events).toMatchObject([{ action: 'exception.approve', decision: 'ALLOW', actorId: 'p-betty', subjectId: exception.id }]);
    expect(await rolesOf(client, 'outsider')).toEqual(['member', 'analyst']);
    // The role works (analysts read released confidential reports of any unit) and is explained.
    const confidential = await client.as('outsider').query('{ report(id: "00000000-0000-4000-8000-000000000004") { id } }');
    expect(dataOf<{ report: unknown }>(confidential).report).toEqual({ id: '00000000-0000-4000-8000-000000000004' });
    const explained = dataOf<{ explainAccess: { roles: { role: string; source: string }[] } }>(
      await client.as('outsider').query('{ explainAccess(action: "read", subjectType: "Report") { roles { role source } } }'),
    ).explainAccess;
    expect(explained.roles).toContainEqual({
      role: 'analyst',
      source: expect.stringMatching(new RegExp(`^exception ${exception.id}, approved by p-betty, until \\d{4}-\\d\\d-\\d\\dT`)),
    });
    // Auditors explaining someone else see the exception too (it lives in the org database).
    const aboutHedy = dataOf<{ explainAccess: { roles: { role: string }[] } }>(
      await client.as('auditor').query('{ explainAccess(action: "read", subjectType: "Report", personId: "p-hedy") { roles { role } } }'),
    ).explainAccess;
    expect(aboutHedy.roles.map((role) => role.role)).toContain('analyst');

    const twice = await audited(client, 'second-admin', APPROVE, { id: exception.id });
    expect(twice.codes).toEqual(['BAD_USER_INPUT']);
    expect(twice.response.body.errors?.[0]?.message).toMatch(/ACTIVE/);
    expect(twice.events).toEqual([]);

    const byOutsider = await audited(client, 'outsider', REVOKE, { id: exception.id });
    expect(byOutsider.codes).toEqual(['FORBIDDEN']);
    expect(byOutsider.events).toMatchObject([{ action: 'exception.revoke', decision: 'DENY' }]);
    const revoked = await audited(client, 'admin', REVOKE, { id: exception.id });
    expect(dataOf<{ revokeRoleException: unknown }>(revoked.response).revokeRoleException).toEqual({ id: exception.id, status: 'REVOKED', revokedBy: 'p-jean' });
    expect(revoked.events).toMatchObject([{ action: 'exception.revoke', decision: 'ALLOW', actorId: 'p-jean', subjectId: exception.id }]);
    expect(await rolesOf(client, 'outsider')).toEqual(['member']);
    const again = await audited(client, 'admin', REVOKE, { id: exception.id });
    expect(again.codes).toEqual(['BAD_USER_INPUT']);
    expect(again.events).toEqual([]);
  });

  it('refuses self-grants and approval by the grantee', async () => {
    const self = await grant('admin', 'p-jean', 'auditor');
    expect(self.codes).toEqual(['FORBIDDEN']);
    expect(self.events).toMatchObject([{ action: 'exception.grant', decision: 'DENY', actorId: 'p-jean', reason: 'self-grant' }]);

    // A third admin, by exception: Jean requests admin for Annie, Betty approves.
    const forAnnie = dataOf<{ grantRoleException: Exception }>((await grant('admin', 'p-annie', 'admin')).response).grantRoleException;
    dataOf(await client.as('second-admin').query(APPROVE, { id: forAnnie.id }));
    expect(await rolesOf(client, 'auditor')).toEqual(['member', 'auditor', 'admin']);

    // Betty requests auditor for Jean: Jean (the grantee) may not approve it, Annie may.
    const forJean = dataOf<{ grantRoleException: Exception }>((await grant('second-admin', 'p-jean', 'auditor')).response).grantRoleException;
    const byGrantee = await audited(client, 'admin', APPROVE, { id: forJean.id });
    expect(byGrantee.codes).toEqual(['FORBIDDEN']);
    expect(byGrantee.events).toMatchObject([{ action: 'exception.approve', decision: 'DENY', actorId: 'p-jean', subjectId: forJean.id }]);
    const byRequester = await audited(client, 'second-admin', APPROVE, { id: forJean.id });
    expect(byRequester.codes).toEqual(['FORBIDDEN']);
    const byThird = await audited(client, 'auditor', APPROVE, { id: forJean.id });
    expect(dataOf<{ approveRoleException: Exception }>(byThird.response).approveRoleException.status).toBe('ACTIVE');
    expect(byThird.events).toMatchObject([{ action: 'exception.approve', decision: 'ALLOW', actorId: 'p-annie' }]);
    expect(await rolesOf(client, 'admin')).toContain('auditor');
  });

  it('refuses bad input with BAD_USER_INPUT and no event', async () => {
    const cases: [string, Parameters<typeof grant>][] = [
      ['more than 90 days out', ['admin', 'p-hedy', 'analyst', inDays(91)]],
      ['in the past', ['admin', 'p-hedy', 'analyst', inDays(-1)]],
      ['a role exceptions cannot grant', ['admin', 'p-hedy', 'builder']],
      ['an unknown role', ['admin', 'p-hedy', 'superuser']],
      ['an unknown person', ['admin', 'p-nobody', 'analyst']],
      ['a person who left', ['admin', 'p-charles', 'analyst']],
      ['a blank reason', ['admin', 'p-hedy', 'analyst', inDays(7), '   ']],
    ];
    for (const [label, args] of cases) {
      const { codes, events } = await grant(...args);
      expect(codes, label).toEqual(['BAD_USER_INPUT']);
      expect(events, label).toEqual([]);
    }
    expect((await grant('admin', 'p-hedy', 'analyst', inDays(89.9))).codes).toEqual([]);
  });

  it('answers NOT_FOUND (audited) for a missing or malformed exception, FORBIDDEN for non-admins first', async () => {
    for (const id of ['00000000-0000-4000-8000-999999999999', 'not-a-uuid']) {
      const { codes, events } = await audited(client, 'second-admin', APPROVE, { id });
      expect(codes).toEqual(['NOT_FOUND']);
      expect(events).toMatchObject([{ action: 'exception.approve', decision: 'DENY', reason: 'not found' }]);
    }
    const nonAdmin = await grant('outsider', 'p-tyler', 'analyst');
    expect(nonAdmin.codes).toEqual(['FORBIDDEN']);
    expect(nonAdmin.events).toMatchObject([{ action: 'exception.grant', decision: 'DENY', actorId: 'p-hedy' }]);
  });
});
