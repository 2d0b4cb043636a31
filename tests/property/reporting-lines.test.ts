/**
 * The materialised reporting lines and unit membership equal a naive walk of the snapshot's
 * manager and parent links, on random orgs imported one after another into one database.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnits } from '../../db/schema.ts';
import { importOrgSnapshot } from '../../org/import.ts';
import type { OrgSnapshot } from '../../org/snapshot.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../support/database.ts';
import { person, unit } from '../support/org-fixtures.ts';
import { reportingLinePairs } from '../support/org-state.ts';

/** A random acyclic org: each record may point only at one generated before it. */
const randomOrg = fc
  .record({
    unitParents: fc.array(fc.option(fc.nat(), { freq: 4 }), { minLength: 1, maxLength: 8 }),
    brUnit: fc.nat(),
    managers: fc.array(fc.record({ manager: fc.option(fc.nat(), { freq: 6 }), unit: fc.nat(), active: fc.boolean() }), {
      minLength: 1,
      maxLength: 40,
    }),
    idOffset: fc.nat({ max: 5 }),
  })
  .map(({ unitParents, brUnit, managers, idOffset }): Omit<OrgSnapshot, 'sequence'> => ({
    version: 1,
    generatedAt: '2026-11-20T06:00:00Z',
    orgUnits: unitParents.map((parent, index) =>
      unit(`ou-${index}`, index === 0 || parent === null ? null : `ou-${parent % index}`, index === brUnit % unitParents.length ? 'builder-relations' : null),
    ),
    // idOffset shifts ids between runs so that people leave and join across imports.
    people: managers.map((entry, index) =>
      person(
        `p-${index + idOffset}`,
        index === 0 || entry.manager === null ? null : `p-${(entry.manager % index) + idOffset}`,
        `ou-${entry.unit % unitParents.length}`,
        entry.active,
      ),
    ),
  }));

function naiveReportingLines(snapshot: Omit<OrgSnapshot, 'sequence'>): string[] {
  const managerOf = new Map(snapshot.people.map((entry) => [entry.id, entry.managerId]));
  const pairs: string[] = [];
  for (const entry of snapshot.people) {
    let depth = 1;
    for (let manager = entry.managerId; manager; manager = managerOf.get(manager) ?? null, depth += 1) {
      pairs.push(`${manager}>${entry.id}@${depth}`);
    }
  }
  return pairs.sort();
}

function naiveBuilderRelations(snapshot: Omit<OrgSnapshot, 'sequence'>): Record<string, boolean> {
  const byId = new Map(snapshot.orgUnits.map((entry) => [entry.id, entry]));
  const member = (id: string | null): boolean => {
    const found = id === null ? undefined : byId.get(id);
    return found !== undefined && (found.kind === 'builder-relations' || member(found.parentId));
  };
  return Object.fromEntries(snapshot.orgUnits.map((entry) => [entry.id, member(entry.id)]));
}

describe.each(drivers)('reporting lines on $name', ({ name, available }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (available) database = await openTestDatabase(name);
  });
  afterAll(async () => database?.close());

  it.runIf(available)('equal a naive manager-chain walk, import after import', async () => {
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(randomOrg, async (org) => {
        sequence += 1;
        await importOrgSnapshot(database.db, { ...org, sequence }, { source: 'property' });
        expect(await reportingLinePairs(database.db)).toEqual(naiveReportingLines(org));
        const units = await database.db.select().from(orgUnits).where(sql`${orgUnits.active}`);
        expect(Object.fromEntries(units.map((row) => [row.id, row.inBuilderRelations]))).toEqual(naiveBuilderRelations(org));
      }),
      { numRuns: 40 },
    );
  });
});
