import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, orgUnits, people, reports } from '../../db/schema.ts';
import { importOrgSnapshot, OrgSnapshotRejected } from '../../org/import.ts';
import type { OrgSnapshot } from '../../org/snapshot.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../support/database.ts';
import { person, smallOrg, unit } from '../support/org-fixtures.ts';
import { orgState, reportingLinePairs } from '../support/org-state.ts';

/** Expects the import to be rejected with a problem matching `pattern`, and nothing changed. */
async function expectRejected(database: TestDatabase, input: OrgSnapshot | string, pattern: RegExp) {
  const before = await orgState(database.db);
  const error = await importOrgSnapshot(database.db, input, { source: 'test' }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OrgSnapshotRejected);
  expect((error as OrgSnapshotRejected).problems.join('\n')).toMatch(pattern);
  expect(await orgState(database.db)).toEqual(before);
}

const withPeople = (sequence: number, edit: (people: OrgSnapshot['people']) => OrgSnapshot['people']) => {
  const org = smallOrg(sequence);
  return { ...org, people: edit(org.people) };
};

describe.each(drivers)('org import on $name', ({ name, available }) => {
  let database: TestDatabase;

  beforeAll(async () => {
    if (available) database = await openTestDatabase(name);
  });
  afterAll(async () => database?.close());

  describe.runIf(available)('with sequence 1 in force', () => {
    beforeEach(async () => {
      await database.db.execute(sql`truncate org_units, org_unit_closure, people, reporting_lines, org_imports, reports`);
      await importOrgSnapshot(database.db, smallOrg(1), { source: 'test' });
    });

    it('materialises reporting lines, unit closure and Builder Relations membership', async () => {
      expect(await reportingLinePairs(database.db)).toEqual(
        [
          'p-ceo>p-vp@1', 'p-ceo>p-mgr@2', 'p-ceo>p-a@3', 'p-ceo>p-b@3', 'p-ceo>p-sales@1', 'p-ceo>p-gone@2',
          'p-vp>p-mgr@1', 'p-vp>p-a@2', 'p-vp>p-b@2', 'p-vp>p-gone@1',
          'p-mgr>p-a@1', 'p-mgr>p-b@1',
        ].sort(),
      );
      const units = await database.db.select().from(orgUnits);
      const member = Object.fromEntries(units.map((row) => [row.id, row.inBuilderRelations]));
      expect(member).toEqual({ 'ou-root': false, 'ou-br': true, 'ou-br-dev': true, 'ou-sales': false });
    });

    it('audits the import in its transaction, with counts and the snapshot hash', async () => {
      const before = (await database.db.select().from(auditEvents)).length;
      await importOrgSnapshot(database.db, withPeople(2, (list) => list.filter((entry) => entry.id !== 'p-sales')), { source: 'test' });
      const events = (await database.db.select().from(auditEvents)).slice(before);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'org.import', decision: 'ALLOW', subjectId: '2', actorSubject: 'operator:test' });
      expect(events[0]?.details).toMatchObject({ people: 6, orgUnits: 4, deactivated: 1, sequence: 2 });
      expect(events[0]?.details.snapshotHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('treats the same sequence and content as a no-op, even reformatted', async () => {
      const before = await orgState(database.db);
      const result = await importOrgSnapshot(database.db, JSON.stringify(smallOrg(1), null, 2), { source: 'test' });
      expect(result.status).toBe('unchanged');
      expect(await orgState(database.db)).toEqual(before);
    });

    it('keeps people missing from a newer snapshot as inactive, with their reports', async () => {
      const [report] = await database.db
        .insert(reports)
        .values({ title: 'kept', authorId: 'p-a', orgUnitId: 'ou-br-dev' })
        .returning();
      const result = await importOrgSnapshot(
        database.db,
        withPeople(2, (list) => list.filter((entry) => entry.id !== 'p-a')),
        { source: 'test' },
      );
      expect(result).toMatchObject({ status: 'applied', deactivated: 1 });
      const [gone] = await database.db.select().from(people).where(eq(people.id, 'p-a'));
      expect(gone?.active).toBe(false);
      const [still] = await database.db.select().from(reports).where(eq(reports.id, report!.id));
      expect(still?.authorId).toBe('p-a');
      expect((await reportingLinePairs(database.db)).filter((pair) => pair.includes('>p-a@'))).toEqual([]);
    });

    it('lets a new person reuse the email of one kept as inactive', async () => {
      const next = withPeople(2, (list) => [
        ...list.filter((entry) => entry.id !== 'p-a'),
        { ...person('p-new', 'p-mgr', 'ou-br-dev'), email: 'P-A@example.com' },
      ]);
      await expect(importOrgSnapshot(database.db, next, { source: 'test' })).resolves.toMatchObject({ status: 'applied' });
    });

    it.each<[string, OrgSnapshot | string, RegExp]>([
      ['malformed JSON', '{"version": 1,', /not valid JSON/],
      ['a wrong version', { ...smallOrg(2), version: 2 as 1 }, /version: unsupported snapshot version/],
      ['a record that breaks the schema', withPeople(2, (list) => [{ ...list[0]!, email: 'nope' }, ...list.slice(1)]), /people\[0\] \(p-ceo\)\.email/],
      ['an unknown manager', withPeople(2, (list) => [...list, person('p-x', 'p-nobody')]), /person p-x: unknown manager p-nobody/],
      ['an unknown org unit', withPeople(2, (list) => [...list, person('p-x', 'p-ceo', 'ou-nowhere')]), /person p-x: unknown org unit ou-nowhere/],
      [
        'a reporting-line cycle',
        withPeople(2, (list) => list.map((entry) => (entry.id === 'p-ceo' ? { ...entry, managerId: 'p-a' } : entry))),
        /reporting-line cycle: .*p-ceo.*p-a|reporting-line cycle: .*p-a.*p-ceo/,
      ],
      ['a person managing themselves', withPeople(2, (list) => [...list, person('p-self', 'p-self')]), /reporting-line cycle: p-self → p-self/],
      ['a duplicate person id', withPeople(2, (list) => [...list, person('p-a', 'p-mgr')]), /duplicate person id "p-a"/],
      [
        'emails equal but for case',
        withPeople(2, (list) => [...list, { ...person('p-c', 'p-mgr'), email: 'P-A@Example.COM' }]),
        /duplicate email "p-a@example.com" \(held by p-a, p-c\)/,
      ],
      ['a duplicate oktaId', withPeople(2, (list) => [...list, { ...person('p-c', 'p-mgr'), oktaId: '00u-p-a' }]), /duplicate oktaId "00u-p-a"/],
      ['a duplicate org unit id', { ...smallOrg(2), orgUnits: [...smallOrg(2).orgUnits, unit('ou-br', null)] }, /duplicate org unit id "ou-br"/],
      ['an unknown parent unit', { ...smallOrg(2), orgUnits: [...smallOrg(2).orgUnits, unit('ou-x', 'ou-ghost')] }, /org unit ou-x: unknown parent ou-ghost/],
      [
        'an org unit parent cycle',
        { ...smallOrg(2), orgUnits: [...smallOrg(2).orgUnits, unit('ou-p', 'ou-q'), unit('ou-q', 'ou-p')] },
        /org unit parent cycle: ou-p → ou-q → ou-p|org unit parent cycle: ou-q → ou-p → ou-q/,
      ],
      ['a lower sequence', smallOrg(0), /sequence 0 is older than sequence 1 in force/],
      ['the same sequence with other content', withPeople(1, (list) => list.slice(0, -1)), /sequence 1 is already in force with different content/],
      [
        "an oktaId taken from a person kept from earlier",
        withPeople(2, (list) => [...list.filter((entry) => entry.id !== 'p-a'), { ...person('p-z', 'p-mgr'), oktaId: '00u-p-a' }]),
        /person p-z: oktaId "00u-p-a" belongs to person p-a/,
      ],
    ])('rejects %s and leaves the org in force unchanged', async (_case, input, pattern) => {
      await expectRejected(database, input, pattern);
    });

    it('rolls everything back when the database fails half-way through', async () => {
      await database.db.execute(sql`
        create or replace function fail_import() returns trigger language plpgsql as
        $$ begin raise exception 'injected failure'; end $$`);
      await database.db.execute(sql`create trigger fail_import before insert on org_imports for each row execute function fail_import()`);
      try {
        const before = await orgState(database.db);
        await expect(
          importOrgSnapshot(database.db, withPeople(2, (list) => list.slice(0, 3)), { source: 'test' }),
        ).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringMatching(/injected failure/) }) });
        expect(await orgState(database.db)).toEqual(before);
      } finally {
        await database.db.execute(sql`drop trigger fail_import on org_imports`);
      }
    });
  });
});
