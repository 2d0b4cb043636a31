/**
 * The policy end to end over HTTP, as the demo personas: hidden equals missing, field rules,
 * creating reports, explainAccess. (Row-for-row agreement with the reference model is the
 * property test's job; this checks the wiring from token to response.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, personaClient } from '../../support/graphql-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';

const demoReport = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ALAN_DRAFT = demoReport(1);
const ALAN_PUBLISHED_CONFIDENTIAL = demoReport(4);
const REPORT_FIELDS = 'id title status sensitivity customerAccounts author { id displayName email } orgUnit { id }';

describe('reports under policy, over HTTP', () => {
  let gateway: GatewayProcess;
  let client: ReturnType<typeof personaClient>;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  const report = (persona: string, id: string) =>
    client.as(persona).query(`query($id: ID!) { report(id: $id) { ${REPORT_FIELDS} } }`, { id });

  it('answers a hidden report exactly like a missing or malformed id: null, no error', async () => {
    const hidden = await report('outsider', ALAN_DRAFT);
    const missing = await report('outsider', '00000000-0000-4000-8000-999999999999');
    const malformed = await report('outsider', 'not-a-uuid');
    expect(hidden.body).toEqual({ data: { report: null } });
    expect(hidden.text).toBe(missing.text);
    expect(malformed.text).toBe(missing.text);
    expect([hidden.status, missing.status, malformed.status]).toEqual([200, 200, 200]);
  });

  it('shows the author and their managers everything, customer accounts included', async () => {
    for (const persona of ['builder', 'manager', 'director', 'vp']) {
      const response = await report(persona, ALAN_DRAFT);
      expect(response.body.errors, persona).toBeUndefined();
      expect(response.body.data?.report, persona).toMatchObject({ id: ALAN_DRAFT, status: 'DRAFT', customerAccounts: [] });
    }
  });

  it('shows a published confidential report within its unit, hiding customer accounts, and to analysts with them', async () => {
    const teammate = await report('teammate', ALAN_PUBLISHED_CONFIDENTIAL);
    expect(teammate.body.data?.report).toMatchObject({ id: ALAN_PUBLISHED_CONFIDENTIAL, customerAccounts: null });
    expect(teammate.body.errors).toEqual([
      expect.objectContaining({ path: ['report', 'customerAccounts'], extensions: { code: 'FORBIDDEN' } }),
      expect.objectContaining({ path: ['report', 'author', 'email'], extensions: { code: 'FORBIDDEN' } }),
    ]);
    const analyst = await report('analyst', ALAN_PUBLISHED_CONFIDENTIAL);
    expect(analyst.body.errors?.map((error) => error.path)).toEqual([['report', 'author', 'email']]);
    expect(analyst.body.data?.report).toMatchObject({ customerAccounts: ['Harborview Bank'] });
    expect((await report('outsider', ALAN_PUBLISHED_CONFIDENTIAL)).body).toEqual({ data: { report: null } });
  });

  it('hides a person’s email from colleagues outside their reporting line', async () => {
    const response = await report('teammate', ALAN_PUBLISHED_CONFIDENTIAL);
    expect(response.body.data?.report).toMatchObject({ author: { id: 'p-alan', email: null } });
    expect(codes(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const manager = await report('manager', ALAN_PUBLISHED_CONFIDENTIAL);
    expect(manager.body.data?.report).toMatchObject({ author: { email: 'alan.turing@example.com' } });
  });

  it('lists nothing for the deprovisioned and for the dashboard service, something for members', async () => {
    const list = '{ reports(first: 5) { totalCount edges { node { id } } } }';
    for (const persona of ['inactive', 'dashboard']) {
      const response = await client.as(persona).query(list);
      expect(response.body, persona).toEqual({ data: { reports: { totalCount: 0, edges: [] } } });
    }
    const member = await client.as('outsider').query(list);
    expect((member.body.data?.reports as { totalCount: number }).totalCount).toBeGreaterThan(0);
  });

  it('refuses a page size over 100 and a cursor it did not give out', async () => {
    const tooMany = await client.as('builder').query('{ reports(first: 101) { totalCount } }');
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    const forged = await client.as('builder').query('{ reports(first: 1, after: "bm9wZQ") { totalCount } }');
    expect(codes(forged)).toEqual(['BAD_USER_INPUT']);
  });

  it('lets builders create drafts as themselves, and refuses others', async () => {
    const create = (persona: string, input: Record<string, unknown>) =>
      client.as(persona).query('mutation($input: CreateReportInput!) { createReport(input: $input) { id status author { id } orgUnit { id } } }', { input });
    const created = await create('builder', { title: 'Notes from a customer call', tags: ['call'] });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createReport).toMatchObject({ status: 'DRAFT', author: { id: 'p-alan' }, orgUnit: { id: 'ou-br-advocacy-americas' } });
    for (const persona of ['outsider', 'inactive', 'dashboard']) {
      expect(codes(await create(persona, { title: 'x' })), persona).toEqual(['FORBIDDEN']);
    }
    expect(codes(await create('builder', { title: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create('builder', { title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('explainAccess over HTTP', () => {
  let gateway: GatewayProcess;
  let client: ReturnType<typeof personaClient>;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  const explain = (persona: string, variables: Record<string, unknown>) =>
    client
      .as(persona)
      .query(
        'query($action: String!, $subjectType: String!, $subjectId: ID, $personId: ID) { explainAccess(action: $action, subjectType: $subjectType, subjectId: $subjectId, personId: $personId) { allowed rule personId roles { role source } facts policyVersion } }',
        variables,
      );

  it('names the rule and the role sources behind a decision', async () => {
    const response = await explain('manager', { action: 'publish', subjectType: 'Report', subjectId: ALAN_DRAFT });
    expect(response.body.data?.explainAccess).toMatchObject({
      allowed: true,
      rule: 'a manager whose reporting line holds the author reviews and archives',
      personId: 'p-dorothy',
      roles: expect.arrayContaining([{ role: 'member', source: 'active in the org source' }, expect.objectContaining({ role: 'manager' })]),
      policyVersion: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const analyst = await explain('analyst', { action: 'read', subjectType: 'Report', subjectId: ALAN_PUBLISHED_CONFIDENTIAL });
    expect(analyst.body.data?.explainAccess).toMatchObject({
      allowed: true,
      rule: 'rule 4: published or archived confidential reports are open to analysts',
      roles: expect.arrayContaining([{ role: 'analyst', source: 'Okta group builder-insights-analysts' }]),
    });
  });

  it('explains a hidden report exactly like a missing one', async () => {
    const hidden = await explain('outsider', { action: 'read', subjectType: 'Report', subjectId: ALAN_DRAFT });
    const missing = await explain('outsider', { action: 'read', subjectType: 'Report', subjectId: '00000000-0000-4000-8000-999999999999' });
    expect(hidden.body.data?.explainAccess).toMatchObject({ allowed: false, rule: null, facts: ['no such subject is visible to you'] });
    expect(hidden.text).toBe(missing.text);
  });

  it('explains others only to auditors and admins', async () => {
    expect(codes(await explain('outsider', { action: 'read', subjectType: 'AuditEvent', personId: 'p-alan' }))).toEqual(['FORBIDDEN']);
    const audited = await explain('auditor', { action: 'read', subjectType: 'AuditEvent', personId: 'p-hedy' });
    expect(audited.body.data?.explainAccess).toMatchObject({ allowed: false, rule: null, personId: 'p-hedy' });
    const self = await explain('auditor', { action: 'read', subjectType: 'AuditEvent' });
    expect(self.body.data?.explainAccess).toMatchObject({ allowed: true, personId: 'p-annie' });
  });

  it('refuses an unknown action or subject type', async () => {
    expect(codes(await explain('builder', { action: 'steal', subjectType: 'Report' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await explain('builder', { action: 'read', subjectType: 'Secrets' }))).toEqual(['BAD_USER_INPUT']);
  });
});
