/**
 * Break-glass over HTTP (DESIGN §4 rule 5): admins only, a real reason, at most an hour, one at a
 * time; while in force the admin reads what they otherwise cannot and every request they make is
 * audited with the session id; ended, it grants nothing. Expiry by time is tested on PostgreSQL
 * (break-glass-expiry.test.ts) and in-process on both drivers (grants-in-force.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaClient } from '../../support/graphql-client.ts';
import { ALANS_DRAFT, LONG_REASON, audited, dataOf, eventsDuring, type Client } from './support.ts';

const START = 'mutation Start($reason: String!, $minutes: Int!) { startBreakGlass(reason: $reason, minutes: $minutes) { id status reason expiresAt startedAt } }';
const END = 'mutation End { endBreakGlass { id status endedAt } }';
const READ_DRAFT = 'query ReadDraft($id: ID!) { report(id: $id) { id title status } }';

describe('break-glass', () => {
  let gateway: GatewayProcess;
  let client: Client;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  it('is refused to non-admins, FORBIDDEN and audited as DENY', async () => {
    for (const persona of ['outsider', 'auditor', 'analyst', 'vp']) {
      const { codes, events } = await audited(client, persona, START, { reason: LONG_REASON, minutes: 10 });
      expect(codes, persona).toEqual(['FORBIDDEN']);
      expect(events, persona).toMatchObject([{ action: 'breakglass.start', decision: 'DENY', subjectType: 'BreakGlass' }]);
    }
  });

  it('needs a reason of at least 20 characters and 1–60 minutes (BAD_USER_INPUT, nothing audited)', async () => {
    for (const variables of [
      { reason: 'too short', minutes: 10 },
      { reason: `   ${'x'.repeat(12)}        `, minutes: 10 },
      { reason: LONG_REASON, minutes: 61 },
      { reason: LONG_REASON, minutes: 0 },
      { reason: LONG_REASON, minutes: -5 },
    ]) {
      const { codes, events } = await audited(client, 'admin', START, variables);
      expect(codes, JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(events).toEqual([]);
    }
    expect(dataOf<{ breakGlassSession: unknown }>(await client.as('admin').query('{ breakGlassSession { id } }')).breakGlassSession).toBeNull();
  });

  it('lets the admin read a draft only while the session is in force, auditing every request', async () => {
    const before = await audited(client, 'admin', READ_DRAFT, { id: ALANS_DRAFT });
    expect(dataOf<{ report: unknown }>(before.response).report).toBeNull();
    expect(before.events).toEqual([]);

    const started = await audited(client, 'admin', START, { reason: LONG_REASON, minutes: 15 });
    const session = dataOf<{ startBreakGlass: { id: string; status: string; expiresAt: string; startedAt: string } }>(started.response).startBreakGlass;
    expect(session.status).toBe('ACTIVE');
    expect(new Date(session.expiresAt).getTime() - new Date(session.startedAt).getTime()).toBe(15 * 60_000);
    expect(started.events).toMatchObject([
      { action: 'breakglass.start', decision: 'ALLOW', actorId: 'p-jean', subjectId: session.id, reason: LONG_REASON, details: { sessionId: session.id, minutes: 15 } },
    ]);

    const during = await audited(client, 'admin', READ_DRAFT, { id: ALANS_DRAFT });
    expect(dataOf<{ report: { id: string; status: string } }>(during.response).report).toMatchObject({ id: ALANS_DRAFT, status: 'DRAFT' });
    expect(during.events).toMatchObject([
      { action: 'breakglass.access', decision: 'ALLOW', actorId: 'p-jean', subjectId: session.id, details: { sessionId: session.id, operationName: 'ReadDraft', operationType: 'query' } },
    ]);
    expect(during.events).toHaveLength(1);

    // Every request: an anonymous one, and a refused mutation (its own DENY/none besides).
    const me = await audited(client, 'admin', '{ me { roles } breakGlassSession { id status } }');
    expect(dataOf<{ breakGlassSession: { id: string } }>(me.response).breakGlassSession).toEqual({ id: session.id, status: 'ACTIVE' });
    expect(me.events).toMatchObject([{ action: 'breakglass.access', details: { operationName: null, operationType: 'query' } }]);
    const again = await audited(client, 'admin', START, { reason: LONG_REASON, minutes: 5 });
    expect(again.codes).toEqual(['BAD_USER_INPUT']);
    expect(again.response.body.errors?.[0]?.message).toMatch(/already hold/);
    expect(again.events).toMatchObject([{ action: 'breakglass.access', details: { operationName: 'Start', operationType: 'mutation' } }]);

    // Nobody else is affected: the second admin still sees no draft, and is not audited.
    const other = await audited(client, 'second-admin', READ_DRAFT, { id: ALANS_DRAFT });
    expect(dataOf<{ report: unknown }>(other.response).report).toBeNull();
    expect(other.events).toEqual([]);

    const explained = dataOf<{ explainAccess: { allowed: boolean; rule: string; roles: { role: string; source: string }[] } }>(
      await client.as('admin').query('{ explainAccess(action: "read", subjectType: "Report", subjectId: "00000000-0000-4000-8000-000000000001") { allowed rule roles { role source } } }'),
    ).explainAccess;
    expect(explained).toMatchObject({ allowed: true, rule: 'rule 5: an active break-glass session' });
    expect(explained.roles).toContainEqual({ role: 'break-glass', source: expect.stringContaining(session.id) });

    const ended = await audited(client, 'admin', END);
    expect(dataOf<{ endBreakGlass: { id: string; status: string } }>(ended.response).endBreakGlass).toMatchObject({ id: session.id, status: 'ENDED' });
    expect(ended.events.map((event) => event.action)).toEqual(['breakglass.access', 'breakglass.end']);
    expect(ended.events[1]).toMatchObject({ decision: 'ALLOW', subjectId: session.id });

    const after = await audited(client, 'admin', READ_DRAFT, { id: ALANS_DRAFT });
    expect(dataOf<{ report: unknown }>(after.response).report).toBeNull();
    expect(after.events).toEqual([]);
  });

  it('ends only a session in force, and only for admins', async () => {
    const none = await audited(client, 'second-admin', END);
    expect(none.codes).toEqual(['BAD_USER_INPUT']);
    expect(none.events).toEqual([]);
    const outsider = await audited(client, 'outsider', END);
    expect(outsider.codes).toEqual(['FORBIDDEN']);
    expect(outsider.events).toMatchObject([{ action: 'breakglass.end', decision: 'DENY', actorId: 'p-hedy' }]);
  });

  it('starts a new session after the last one ended', async () => {
    const events = await eventsDuring(client, async () => {
      dataOf(await client.as('second-admin').query(START, { reason: LONG_REASON, minutes: 1 }));
      dataOf(await client.as('second-admin').query(END));
    });
    expect(events.map((event) => event.action)).toEqual(['breakglass.start', 'breakglass.access', 'breakglass.end']);
  });
});
