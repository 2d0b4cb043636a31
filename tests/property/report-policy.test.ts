/**
 * One policy, three evaluators, on random worlds: the SQL the compiler produces, CASL's
 * in-memory `ability.can` on loaded rows, and a plain reference model of DESIGN §4
 * (tests/support/reference-policy.ts). All three must agree on every row, for every viewer:
 * reads, aggregates, customer accounts, emails and workflow permissions.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePrincipal } from '../../auth/principal.ts';
import { findPeopleByIds } from '../../db/repositories/people.ts';
import { countReports, listReports } from '../../db/repositories/reports.ts';
import { reports } from '../../db/schema.ts';
import { ALL } from '../../db/scope.ts';
import { importOrgSnapshot } from '../../org/import.ts';
import { canOnReport, personScope, reportScope } from '../../policies/access.ts';
import { readableFields } from '../../policies/fields.ts';
import { buildAbility } from '../../policies/index.ts';
import { viewerOf } from '../../policies/principal.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../support/database.ts';
import * as ref from '../support/reference-policy.ts';
import { snapshotOf, tokenFor, worlds, WORKFLOW } from '../support/random-worlds.ts';

const sorted = (ids: string[]) => [...ids].sort();

describe.each(drivers)('report policy on $name: SQL = ability.can = reference', ({ name, available }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (available) database = await openTestDatabase(name);
  });
  afterAll(async () => database?.close());

  it.runIf(available)('agree on every row for every viewer of random worlds', async () => {
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(worlds, async (world) => {
        sequence += 1;
        const { db } = database;
        await db.execute(sql`truncate reports`);
        const snapshot = snapshotOf(world, sequence);
        await importOrgSnapshot(db, snapshot, { source: 'property' });
        const org: ref.RefOrg = {
          people: snapshot.people.map(({ id, managerId, orgUnitId, active }) => ({ id, managerId, orgUnitId, active })),
          units: snapshot.orgUnits.map(({ id, parentId, kind }) => ({ id, parentId, kind: kind ?? null })),
        };
        const refReports: ref.RefReport[] = world.reports.map((entry, index) => {
          const author = snapshot.people[entry.author % snapshot.people.length]!;
          return {
            id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
            authorId: author.id,
            orgUnitId: entry.ownUnit ? author.orgUnitId : `u${entry.unit % snapshot.orgUnits.length}`,
            status: entry.status,
            sensitivity: entry.sensitivity,
          };
        });
        if (refReports.length > 0) {
          await db.insert(reports).values(refReports.map((report) => ({ ...report, title: report.id, customerAccounts: ['acme'] })));
        }
        const loaded = (await listReports(db, ALL, { first: 100 })).rows;
        const everyone = await findPeopleByIds(db, snapshot.people.map((entry) => entry.id), ALL);

        for (const candidate of world.viewers) {
          const { token, refViewer } = tokenFor(candidate, world);
          const principal = await resolvePrincipal(db, token);
          const derived = viewerOf(principal);
          const viewer = derived.kind === 'person' ? { ...derived, breakGlass: candidate.kind === 'person' && candidate.breakGlass } : derived;
          const ability = buildAbility(viewer);
          expect(viewer.kind === 'nobody' ? [] : [...viewer.roles].sort()).toEqual(ref.refRoles(org, refViewer).sort());

          const expectedRead = sorted(refReports.filter((report) => ref.refCanRead(org, refViewer, report)).map((report) => report.id));
          const bySql = sorted((await listReports(db, reportScope(ability, 'read'), { first: 100 })).rows.map((row) => row.id));
          const byProbe = sorted((await listReports(db, reportScope(ability, 'read', 'probe'), { first: 100 })).rows.map((row) => row.id));
          const inMemory = sorted(loaded.filter((row) => canOnReport(ability, 'read', row)).map((row) => row.id));
          expect(bySql).toEqual(expectedRead);
          expect(byProbe).toEqual(expectedRead);
          expect(inMemory).toEqual(expectedRead);

          const expectedAggregate = refReports.filter((report) => ref.refCanAggregate(org, refViewer, report));
          expect(await countReports(db, reportScope(ability, 'aggregate'))).toBe(expectedAggregate.length);
          expect(loaded.filter((row) => canOnReport(ability, 'aggregate', row)).length).toBe(expectedAggregate.length);

          for (const row of loaded) {
            const report = refReports.find((entry) => entry.id === row.id)!;
            if (ref.refCanRead(org, refViewer, report)) {
              expect(readableFields(ability, 'Report', row).has('customerAccounts')).toBe(
                ref.refCanReadCustomerAccounts(org, refViewer, report),
              );
            }
            for (const action of WORKFLOW) {
              expect(canOnReport(ability, action, row), `${action} ${row.id}`).toBe(ref.refMayChange(org, refViewer, report, action));
            }
          }

          const visiblePeople = await findPeopleByIds(db, snapshot.people.map((entry) => entry.id), personScope(ability));
          expect(visiblePeople.length).toBe(ref.refCanReadPerson(org, refViewer) ? snapshot.people.length : 0);
          for (const target of everyone) {
            const refTarget = org.people.find((entry) => entry.id === target.id)!;
            const emailVisible = ref.refCanReadPerson(org, refViewer) && readableFields(ability, 'Person', target).has('email');
            expect(emailVisible, `email of ${target.id}`).toBe(ref.refCanReadEmail(org, refViewer, refTarget));
          }
        }
      }),
      { numRuns: name === 'pglite' ? 40 : 60 },
    );
  });
});
