/**
 * What counts, decided in the one principal statement (org/directory.ts) with the database clock,
 * on PGlite and PostgreSQL: only approved, unrevoked, unexpired exceptions, and only a session
 * that is neither ended nor expired. Time is moved by rewriting the rows' timestamps. Also the
 * group sightings the access review reads, and their per-process throttle (an injected clock).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedToken } from '../../../auth/claims.ts';
import type { Principal } from '../../../auth/principal.ts';
import { breakGlassSessions, groupSightings, roleExceptions } from '../../../db/governance-schema.ts';
import { activeBreakGlassSessions, listGroupGrants } from '../../../db/repositories/governance.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { createGroupSightings, GROUP_SIGHTING_INTERVAL_MS } from '../../../http/context.ts';
import { findPersonFacts } from '../../../org/directory.ts';
import { roleSources } from '../../../policies/explain.ts';
import { viewerOf } from '../../../policies/principal.ts';
import type { Logger } from '../../../telemetry/logger.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../../support/database.ts';

const ago = (seconds: number) => sql`now() - make_interval(secs => ${seconds})`;
const ahead = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

const silent: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

function principalOf(person: NonNullable<Awaited<ReturnType<typeof findPersonFacts>>>, groups: string[] = []): Principal {
  const token = { subject: person.email, oktaUserId: person.oktaId, groups, scopes: [], expiresAt: new Date() } as unknown as VerifiedToken;
  return { kind: 'person', token, person };
}

describe.each(drivers)('grants in force on $name', ({ name, available }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    await loadDemoData(database.db);
  });
  afterAll(async () => database?.close());

  it.runIf(available)('counts approved, unrevoked, unexpired exceptions only', async () => {
    const base = { personId: 'p-hedy', reason: 'test', requestedBy: 'p-jean' };
    await database.db.insert(roleExceptions).values([
      { ...base, role: 'analyst', expiresAt: ahead(3600), approvedBy: 'p-betty', approvedAt: ago(10) },
      { ...base, role: 'auditor', expiresAt: ahead(3600) },
      { ...base, role: 'admin', expiresAt: ago(1), approvedBy: 'p-betty', approvedAt: ago(100) },
      { ...base, role: 'admin', expiresAt: ahead(3600), approvedBy: 'p-betty', approvedAt: ago(100), revokedBy: 'p-jean', revokedAt: ago(5) },
    ]);
    const facts = await findPersonFacts(database.db, { id: 'p-hedy' });
    expect(facts?.exceptions).toEqual([{ id: expect.any(String), role: 'analyst', approvedBy: 'p-betty', expiresAt: expect.any(Date) }]);
    expect(facts?.breakGlassSessionId).toBeNull();
    const viewer = viewerOf(principalOf(facts!));
    expect(viewer).toMatchObject({ roles: ['member', 'analyst'], breakGlass: false });
    expect(roleSources(facts, [])).toContainEqual({ role: 'analyst', source: expect.stringMatching(/^exception .+, approved by p-betty, until /) });

    // Expiry by the clock: the same rows, moved into the past, count for nothing.
    await database.db.execute(sql`update role_exceptions set expires_at = now() - interval '1 millisecond' where person_id = 'p-hedy'`);
    expect((await findPersonFacts(database.db, { id: 'p-hedy' }))?.exceptions).toEqual([]);
  });

  it.runIf(available)('counts a break-glass session until it ends or expires, and only for an admin', async () => {
    const [session] = await database.db
      .insert(breakGlassSessions)
      .values({ personId: 'p-jean', reason: 'incident', expiresAt: ahead(600) })
      .returning();
    const facts = await findPersonFacts(database.db, { id: 'p-jean' });
    expect(facts?.breakGlassSessionId).toBe(session!.id);
    expect(await activeBreakGlassSessions(database.db)).toBe(1);
    expect(viewerOf(principalOf(facts!, ['builder-insights-admins']))).toMatchObject({ breakGlass: true });
    // Without the admin role (a group removed in Okta), the session grants nothing.
    expect(viewerOf(principalOf(facts!, []))).toMatchObject({ breakGlass: false });

    await database.db.execute(sql`update break_glass_sessions set expires_at = now() - interval '1 millisecond' where person_id = 'p-jean'`);
    expect((await findPersonFacts(database.db, { id: 'p-jean' }))?.breakGlassSessionId).toBeNull();
    expect(await activeBreakGlassSessions(database.db)).toBe(0);
    await database.db.execute(sql`update break_glass_sessions set expires_at = now() + interval '10 minutes', ended_at = now() where person_id = 'p-jean'`);
    expect((await findPersonFacts(database.db, { id: 'p-jean' }))?.breakGlassSessionId).toBeNull();
  });

  it.runIf(available)('records role-granting groups per person, at most hourly unless they change', async () => {
    let now = 1_000_000;
    const sightings = createGroupSightings({ db: database.db, logger: silent, now: () => now });
    const frances = (await findPersonFacts(database.db, { id: 'p-frances' }))!;
    const note = (groups: string[]) => sightings.note(principalOf(frances, groups));

    await note(['Everyone', 'builder-insights-analysts']);
    expect((await listGroupGrants(database.db, 'p-frances')).map((row) => row.groupName)).toEqual(['builder-insights-analysts']);
    expect(note(['builder-insights-analysts', 'Everyone'])).toBeUndefined();
    await note(['builder-insights-analysts', 'builder-insights-auditors']);
    const both = await listGroupGrants(database.db, 'p-frances');
    expect(both.map((row) => row.groupName)).toEqual(['builder-insights-analysts', 'builder-insights-auditors']);
    expect(both[0]).toMatchObject({ managerId: 'p-paula', personActive: true });
    now += GROUP_SIGHTING_INTERVAL_MS;
    const refreshed = note(['builder-insights-analysts', 'builder-insights-auditors']);
    expect(refreshed).toBeDefined();
    await refreshed;
    await note([]);
    expect(await listGroupGrants(database.db, 'p-frances')).toEqual([]);
    expect(await database.db.select().from(groupSightings)).toEqual([]);
  });
});
