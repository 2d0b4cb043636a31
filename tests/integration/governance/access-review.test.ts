/**
 * The access review over HTTP (DESIGN §4): Okta-group roles as seen in people's tokens,
 * exceptions in every state and break-glass sessions until reviewed, each with its source and
 * reviewer (the person's manager in the org source); decisions recorded and audited, REVOKE
 * acting at once. Auditors and admins only; nobody reviews their own grant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaClient } from '../../support/graphql-client.ts';
import { LONG_REASON, audited, dataOf, eventually, inDays, rolesOf, type Client } from './support.ts';

const REVIEW = `{ accessReview {
  grantId kind personId role source status effective since until reviewerId
  person { id displayName } reviewer { id displayName }
  latestReview { decision note reviewerId reviewedAt }
} }`;
const RECORD = 'mutation($g: ID!, $d: ReviewDecision!, $n: String!) { recordAccessReview(grantId: $g, decision: $d, note: $n) { id grantId decision note reviewerId } }';

interface Grant {
  grantId: string;
  kind: string;
  personId: string;
  role: string;
  source: string;
  status: string;
  effective: boolean;
  since: string;
  until: string | null;
  reviewerId: string | null;
  person: { id: string; displayName: string } | null;
  reviewer: { id: string; displayName: string } | null;
  latestReview: { decision: string; note: string; reviewerId: string } | null;
}

describe('access review', () => {
  let gateway: GatewayProcess;
  let client: Client;
  const review = async (persona = 'auditor') => dataOf<{ accessReview: Grant[] }>(await client.as(persona).query(REVIEW)).accessReview;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  it('lists Okta-group roles once a person made a request, with source and reviewer', async () => {
    expect((await review()).filter((grant) => grant.personId === 'p-frances')).toEqual([]);
    await client.as('analyst').query('{ me { roles } }');
    const grants = await eventually(review, (list) => list.some((grant) => grant.personId === 'p-frances'));
    expect(grants.filter((grant) => grant.personId === 'p-frances')).toEqual([
      expect.objectContaining({
        grantId: 'okta:builder-insights-analysts:p-frances',
        kind: 'OKTA_GROUP',
        role: 'analyst',
        source: expect.stringMatching(/^Okta group builder-insights-analysts/),
        status: 'ACTIVE',
        effective: true,
        until: null,
        reviewerId: 'p-paula',
        person: { id: 'p-frances', displayName: 'Frances Allen' },
        reviewer: { id: 'p-paula', displayName: 'Paula Quinn' },
        latestReview: null,
      }),
    ]);
    // The auditor's own group was seen by her own requests.
    expect(grants.some((grant) => grant.grantId === 'okta:builder-insights-auditors:p-annie')).toBe(true);
  });

  it('lists exceptions and break-glass sessions; REVOKE acts at once; reviews are audited', async () => {
    const granted = dataOf<{ grantRoleException: { id: string } }>(
      await client.as('admin').query(
        'mutation($e: DateTime!) { grantRoleException(personId: "p-hedy", role: "analyst", reason: "EMEA pricing study", expiresAt: $e) { id } }',
        { e: inDays(30) },
      ),
    ).grantRoleException;
    let grants = await review();
    expect(grants.find((grant) => grant.grantId === `exception:${granted.id}`)).toMatchObject({
      kind: 'EXCEPTION',
      personId: 'p-hedy',
      role: 'analyst',
      status: 'PENDING',
      effective: false,
      reviewerId: 'p-isabel',
      source: expect.stringContaining('requested by p-jean, awaiting approval'),
    });
    dataOf(await client.as('second-admin').query('mutation($id: ID!) { approveRoleException(id: $id) { id } }', { id: granted.id }));
    const session = dataOf<{ startBreakGlass: { id: string } }>(
      await client.as('admin').query('mutation($r: String!) { startBreakGlass(reason: $r, minutes: 30) { id } }', { r: LONG_REASON }),
    ).startBreakGlass;

    grants = await review();
    expect(grants.find((grant) => grant.grantId === `exception:${granted.id}`)).toMatchObject({ status: 'ACTIVE', effective: true, source: expect.stringContaining('approved by p-betty') });
    expect(grants.find((grant) => grant.grantId === `breakglass:${session.id}`)).toMatchObject({
      kind: 'BREAK_GLASS',
      personId: 'p-jean',
      role: 'break-glass',
      status: 'ACTIVE',
      effective: true,
      reviewerId: 'p-daniel',
      reviewer: { id: 'p-daniel', displayName: 'Daniel Cohen' },
      source: expect.stringContaining(LONG_REASON),
    });

    // REVOKE of an exception revokes it: Hedy loses the role on her next request.
    expect(await rolesOf(client, 'outsider')).toContain('analyst');
    const revoked = await audited(client, 'auditor', RECORD, { g: `exception:${granted.id}`, d: 'REVOKE', n: 'Study finished' });
    expect(dataOf<{ recordAccessReview: unknown }>(revoked.response).recordAccessReview).toMatchObject({ decision: 'REVOKE', reviewerId: 'p-annie' });
    expect(revoked.events).toMatchObject([
      { action: 'access.review', decision: 'ALLOW', actorId: 'p-annie', subjectId: `exception:${granted.id}`, details: { decision: 'REVOKE', effect: 'exception revoked' } },
    ]);
    expect(await rolesOf(client, 'outsider')).toEqual(['member']);
    grants = await review();
    expect(grants.find((grant) => grant.grantId === `exception:${granted.id}`)).toMatchObject({
      status: 'REVOKED',
      effective: false,
      latestReview: { decision: 'REVOKE', note: 'Study finished', reviewerId: 'p-annie' },
    });

    // A session in force stays listed when kept; once ended and reviewed, it leaves the review.
    const kept = await audited(client, 'auditor', RECORD, { g: `breakglass:${session.id}`, d: 'KEEP', n: 'Incident confirmed' });
    expect(kept.events).toMatchObject([{ action: 'access.review', details: { decision: 'KEEP', effect: 'session marked reviewed' } }]);
    expect((await review()).find((grant) => grant.grantId === `breakglass:${session.id}`)).toMatchObject({ status: 'ACTIVE', latestReview: { decision: 'KEEP' } });
    dataOf(await client.as('admin').query('mutation { endBreakGlass { id } }'));
    expect((await review()).some((grant) => grant.grantId === `breakglass:${session.id}`)).toBe(false);

    // REVOKE of a session in force ends it at once.
    const second = dataOf<{ startBreakGlass: { id: string } }>(
      await client.as('second-admin').query('mutation($r: String!) { startBreakGlass(reason: $r, minutes: 30) { id } }', { r: LONG_REASON }),
    ).startBreakGlass;
    const ended = await audited(client, 'auditor', RECORD, { g: `breakglass:${second.id}`, d: 'REVOKE', n: 'Not justified' });
    expect(ended.events).toMatchObject([{ action: 'access.review', details: { effect: 'session ended and marked reviewed' } }]);
    expect(dataOf<{ breakGlassSession: unknown }>(await client.as('second-admin').query('{ breakGlassSession { id } }')).breakGlassSession).toBeNull();
  });

  it('refuses reviews of one’s own grant, unknown grants, bad notes and non-auditors', async () => {
    const own = await audited(client, 'auditor', RECORD, { g: 'okta:builder-insights-auditors:p-annie', d: 'KEEP', n: 'Looks fine' });
    expect(own.codes).toEqual(['FORBIDDEN']);
    expect(own.events).toMatchObject([{ action: 'access.review', decision: 'DENY', actorId: 'p-annie', reason: 'own grant' }]);
    for (const grantId of ['okta:builder-insights-analysts:p-nobody', 'exception:00000000-0000-4000-8000-999999999999', 'breakglass:nope', 'garbage']) {
      const missing = await audited(client, 'auditor', RECORD, { g: grantId, d: 'KEEP', n: 'Looks fine' });
      expect(missing.codes, grantId).toEqual(['NOT_FOUND']);
      expect(missing.events, grantId).toMatchObject([{ action: 'access.review', decision: 'DENY', reason: 'not found' }]);
    }
    const blank = await audited(client, 'auditor', RECORD, { g: 'okta:builder-insights-analysts:p-frances', d: 'KEEP', n: '  ' });
    expect(blank.codes).toEqual(['BAD_USER_INPUT']);
    expect(blank.events).toEqual([]);
    // An admin reviews too, and a group grant's KEEP is just recorded.
    const byAdmin = await audited(client, 'admin', RECORD, { g: 'okta:builder-insights-analysts:p-frances', d: 'KEEP', n: 'Still on the insights team' });
    expect(byAdmin.events).toMatchObject([{ action: 'access.review', decision: 'ALLOW', actorId: 'p-jean', details: { effect: 'none' } }]);

    for (const persona of ['outsider', 'analyst', 'manager', 'builder']) {
      const read = await client.as(persona).query(REVIEW);
      expect(read.body.errors?.map((error) => error.extensions?.code), persona).toEqual(['FORBIDDEN']);
      expect(read.body.data).toBeNull();
      const recorded = await audited(client, persona, RECORD, { g: 'okta:builder-insights-analysts:p-frances', d: 'REVOKE', n: 'Nope' });
      expect(recorded.codes, persona).toEqual(['FORBIDDEN']);
      expect(recorded.events, persona).toMatchObject([{ action: 'access.review', decision: 'DENY' }]);
    }
  });
});
