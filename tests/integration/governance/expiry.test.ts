/**
 * Expiry by time, over HTTP on PostgreSQL (the test moves `expires_at` into the past in the
 * gateway's database rather than waiting): a break-glass session and an approved exception stop
 * counting on the very next request, with no job; the metric gauge follows; a lapsed session is
 * closed as of its expiry when its holder starts a new one.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakGlassSessions, roleExceptions } from '../../../db/governance-schema.ts';
import { activeBreakGlassSessions } from '../../../db/repositories/governance.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaClient } from '../../support/graphql-client.ts';
import { ALANS_DRAFT, LONG_REASON, audited, dataOf, inDays, rolesOf, type Client } from './support.ts';

const READ_DRAFT = 'query ReadDraft($id: ID!) { report(id: $id) { id } }';

describe.runIf(postgresUrl !== undefined)('expiry by time (PostgreSQL)', () => {
  let database: TestDatabase;
  let gateway: GatewayProcess;
  let client: Client;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await loadDemoData(database.db);
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', DATABASE_URL: database.url!, DEMO_DATA: 'false' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => {
    await gateway?.stop();
    await database?.close();
  });

  it('ends break-glass at its expiry: the draft is hidden again, nothing more is audited', async () => {
    const session = dataOf<{ startBreakGlass: { id: string } }>(
      await client.as('admin').query('mutation($r: String!) { startBreakGlass(reason: $r, minutes: 1) { id } }', { r: LONG_REASON }),
    ).startBreakGlass;
    expect(await activeBreakGlassSessions(database.db)).toBe(1);
    const during = await audited(client, 'admin', READ_DRAFT, { id: ALANS_DRAFT });
    expect(dataOf<{ report: unknown }>(during.response).report).toEqual({ id: ALANS_DRAFT });
    expect(during.events.map((event) => event.action)).toEqual(['breakglass.access']);

    await database.db
      .update(breakGlassSessions)
      .set({ startedAt: sql`now() - interval '2 minutes'`, expiresAt: sql`now() - interval '1 second'` })
      .where(eq(breakGlassSessions.id, session.id));
    expect(await activeBreakGlassSessions(database.db)).toBe(0);

    const after = await audited(client, 'admin', READ_DRAFT, { id: ALANS_DRAFT });
    expect(dataOf<{ report: unknown }>(after.response).report).toBeNull();
    expect(after.events).toEqual([]);
    expect(dataOf<{ breakGlassSession: unknown }>(await client.as('admin').query('{ breakGlassSession { id } }')).breakGlassSession).toBeNull();
    // Nothing to end any more; a new session closes the lapsed one as of its expiry.
    expect((await audited(client, 'admin', 'mutation { endBreakGlass { id } }')).codes).toEqual(['BAD_USER_INPUT']);
    dataOf(await client.as('admin').query('mutation($r: String!) { startBreakGlass(reason: $r, minutes: 5) { id } }', { r: LONG_REASON }));
    const [lapsed] = await database.db.select().from(breakGlassSessions).where(eq(breakGlassSessions.id, session.id));
    expect(lapsed?.endedAt?.getTime()).toBe(lapsed?.expiresAt.getTime());
    expect(await activeBreakGlassSessions(database.db)).toBe(1);
    dataOf(await client.as('admin').query('mutation { endBreakGlass { id } }'));
    expect(await activeBreakGlassSessions(database.db)).toBe(0);
  });

  it('drops an expired exception’s role on the next request', async () => {
    const granted = dataOf<{ grantRoleException: { id: string } }>(
      await client.as('admin').query(
        'mutation($e: DateTime!) { grantRoleException(personId: "p-hedy", role: "auditor", reason: "Year-end audit support", expiresAt: $e) { id } }',
        { e: inDays(1) },
      ),
    ).grantRoleException;
    dataOf(await client.as('second-admin').query('mutation($id: ID!) { approveRoleException(id: $id) { id } }', { id: granted.id }));
    expect(await rolesOf(client, 'outsider')).toEqual(['member', 'auditor']);
    await database.db.update(roleExceptions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(roleExceptions.id, granted.id));
    expect(await rolesOf(client, 'outsider')).toEqual(['member']);
    // Expired: it cannot be approved or revoked any more, and the review shows it as EXPIRED.
    const revoke = await audited(client, 'admin', 'mutation($id: ID!) { revokeRoleException(id: $id) { id } }', { id: granted.id });
    expect(revoke.codes).toEqual(['BAD_USER_INPUT']);
    expect(revoke.response.body.errors?.[0]?.message).toMatch(/EXPIRED/);
    const review = dataOf<{ accessReview: { grantId: string; status: string; effective: boolean }[] }>(
      await client.as('auditor').query('{ accessReview { grantId status effective } }'),
    ).accessReview;
    expect(review.find((grant) => grant.grantId === `exception:${granted.id}`)).toEqual({ grantId: `exception:${granted.id}`, status: 'EXPIRED', effective: false });
  });
});
