/**
 * Issue 3 acceptance, principals: who a verified Okta token speaks for, over HTTP against the
 * real gateway on the demo org (DESIGN §2). `uid` finds the person; `sub` is read as an email
 * only when there is no `uid` at all; the org source outranks groups; listed client-credentials
 * clients are services, unlisted ones nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonas, type DemoPersona, type DemoPersonaKey, type DemoPersonPersona } from '../../../db/seed/demo.ts';
import {
  bearer,
  callGraphQL,
  expectData,
  leakedSecrets,
  startOktaGateway,
  TokenLedger,
  type OktaGateway,
} from '../../support/okta-gateway.ts';
import { personaClaims, startOktaIssuer, type Claims, type OktaIssuer } from '../../support/okta-issuer.ts';

const ME = '{ me { kind roles scopes person { id } clientId policyVersion tokenExpiresAt } }';
const REPORTS = '{ reports(first: 5) { totalCount edges { node { id title } } } }';
const CREATE_REPORT = 'mutation { createReport(input: { title: "x" }) { id } }';

interface Me {
  kind: string;
  roles: string[];
  scopes: string[];
  person: { id: string } | null;
  clientId: string | null;
  policyVersion: string;
  tokenExpiresAt: string;
}

function persona(key: DemoPersonaKey): DemoPersonPersona;
function persona(key: 'dashboard'): DemoPersona;
function persona(key: string): DemoPersona {
  const found = demoPersonas.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no demo persona ${key}`);
  return found;
}

describe('okta mode: principals from the org source', () => {
  let issuer: OktaIssuer;
  let gateway: OktaGateway;
  const ledger = new TokenLedger();

  beforeAll(async () => {
    issuer = await startOktaIssuer();
    gateway = await startOktaGateway(issuer);
  });
  afterAll(async () => {
    await gateway?.stop();
    await issuer?.close();
  });

  const token = async (claims: Claims) => ledger.record(await issuer.accessToken(claims));
  const ask = async (claims: Claims, query: string) => callGraphQL(gateway.url, { authorization: bearer(await token(claims)), query });
  const me = async (claims: Claims) => expectData(await ask(claims, ME)).me as Me;
  const reportCount = async (claims: Claims) =>
    (expectData(await ask(claims, REPORTS)).reports as { totalCount: number }).totalCount;

  it('the builder persona is a PERSON with roles [member, builder], and `me` reports the token', async () => {
    const builder = persona('builder');
    const exp = Math.floor(Date.now() / 1000) + 1800;
    const answer = await me({ ...personaClaims(builder), exp });
    expect(answer).toEqual({
      kind: 'PERSON',
      roles: ['member', 'builder'],
      scopes: expect.arrayContaining(['insights.read', 'insights.write']),
      person: { id: builder.personId },
      clientId: 'insights-web',
      policyVersion: expect.stringMatching(/\S/),
      tokenExpiresAt: new Date(exp * 1000).toISOString(),
    });
    expect(await reportCount(personaClaims(builder))).toBeGreaterThan(0);
  });

  it('the analyst persona (analysts group) has the analyst role', async () => {
    const analyst = persona('analyst');
    const answer = await me(personaClaims(analyst));
    expect(answer).toMatchObject({ kind: 'PERSON', person: { id: analyst.personId } });
    expect(answer.roles).toContain('analyst');
  });

  describe('the inactive persona (has left; analysts group in the token)', () => {
    const inactive = () => personaClaims(persona('inactive'));

    it('`me` still answers, with the person and no roles', async () => {
      expect(await me(inactive())).toMatchObject({ kind: 'PERSON', roles: [], person: { id: persona('inactive').personId } });
    });

    it('sees no report: totalCount 0', async () => {
      expect(await reportCount(inactive())).toBe(0);
    });

    it('cannot create a report: FORBIDDEN, nothing created', async () => {
      const reply = await ask(inactive(), CREATE_REPORT);
      expect(reply.status).toBe(200);
      expect(reply.body?.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(reply.body?.data ?? null).toBeNull();
    });
  });

  it('a uid that matches nobody never falls back to the email in sub: NOBODY, no roles, no reports', async () => {
    const builder = persona('builder');
    const claims = { ...personaClaims(builder), uid: '00unobody00000000001' };
    expect(await me(claims)).toMatchObject({ kind: 'NOBODY', roles: [], person: null });
    expect(await reportCount(claims)).toBe(0);
  });

  it('a token with no uid is matched by sub as an email, case-insensitively', async () => {
    const builder = persona('builder');
    const claims = { ...personaClaims(builder), uid: undefined, sub: builder.email.toUpperCase() };
    expect(builder.email.toUpperCase()).not.toBe(builder.email);
    expect(await me(claims)).toMatchObject({ kind: 'PERSON', roles: ['member', 'builder'], person: { id: builder.personId } });
  });

  it('the dashboard service (cid = sub = dashboard-service, no uid) is a SERVICE with roles [dashboard] and no rows', async () => {
    const dashboard = persona('dashboard');
    const claims = personaClaims(dashboard);
    expect(claims).toMatchObject({ sub: 'dashboard-service', cid: 'dashboard-service' });
    expect(await me(claims)).toMatchObject({ kind: 'SERVICE', roles: ['dashboard'], person: null, clientId: 'dashboard-service' });
    expect(await reportCount(claims)).toBe(0);
  });

  it('an unlisted client-credentials client is NOBODY with no roles', async () => {
    const claims = { sub: 'reporting-cron', cid: 'reporting-cron', uid: undefined, groups: undefined, scp: ['insights.read'] };
    expect(await me(claims)).toMatchObject({ kind: 'NOBODY', roles: [], person: null, clientId: 'reporting-cron' });
    expect(await reportCount(claims)).toBe(0);
  });

  it('groups count: the admins group makes the outsider an admin', async () => {
    const outsider = persona('outsider');
    expect((await me(personaClaims(outsider))).roles).not.toContain('admin');
    const answer = await me({ ...personaClaims(outsider), groups: ['builder-insights-admins'] });
    expect(answer).toMatchObject({ kind: 'PERSON', person: { id: outsider.personId } });
    expect(answer.roles).toContain('admin');
  });

  it('…but not for the inactive persona: the org source outranks groups', async () => {
    const answer = await me({ ...personaClaims(persona('inactive')), groups: ['builder-insights-admins'] });
    expect(answer).toMatchObject({ kind: 'PERSON', roles: [] });
  });

  it('no token sent here appears in the gateway output', () => {
    expect(ledger.size).toBeGreaterThanOrEqual(15);
    expect(leakedSecrets(gateway.output(), ledger)).toEqual([]);
  });
});
