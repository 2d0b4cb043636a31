/**
 * Writes a validated snapshot inside the import's transaction: upserts units and people, keeps
 * those the snapshot no longer lists as inactive, and rebuilds the two closures and the report
 * counts per reporting line that depend on them.
 *
 * Records travel as one JSON parameter expanded by jsonb_to_recordset: one round trip for
 * 50,000 people instead of thousands of multi-row inserts, on PostgreSQL and PGlite alike.
 */
import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/client.ts';
import { rows } from '../db/rows.ts';
import { BUILDER_RELATIONS_KIND, type OrgSnapshot } from './snapshot.ts';

export interface AppliedCounts {
  readonly people: number;
  readonly orgUnits: number;
  readonly deactivated: number;
}

/** Thrown when the snapshot contradicts the org in force in a way the snapshot alone cannot show. */
export class SnapshotConflict extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

export async function applySnapshot(tx: Transaction, snapshot: OrgSnapshot): Promise<AppliedCounts> {
  await holdReportWrites(tx);
  await refuseOktaIdTakeover(tx, snapshot);
  await upsertOrgUnits(tx, snapshot);
  await rebuildOrgUnitClosure(tx);
  await upsertPeople(tx, snapshot);
  const deactivated = await deactivateMissingPeople(tx, snapshot.sequence);
  await rebuildReportingLines(tx, snapshot.sequence);
  await tx.execute(sql`select rebuild_report_line_counts()`);
  return { people: snapshot.people.length, orgUnits: snapshot.orgUnits.length, deactivated };
}

/**
 * Report writes wait until the import commits (reads go on). A report written meanwhile would
 * update report_line_counts from the reporting lines of the old org, after this transaction
 * rebuilt them from the new one. Taken first, before any row lock, so it cannot deadlock with a
 * writer's triggers.
 */
async function holdReportWrites(tx: Transaction): Promise<void> {
  await tx.execute(sql`lock table reports in share mode`);
}

/**
 * An Okta user id identifies one person for good: a snapshot that gives a person's oktaId to
 * someone else (a person kept from earlier snapshots included) is refused, not silently moved.
 */
async function refuseOktaIdTakeover(tx: Transaction, snapshot: OrgSnapshot): Promise<void> {
  const pairs = snapshot.people.map((person) => ({ id: person.id, oktaId: person.oktaId }));
  const taken = await rows<{ id: string; okta_id: string; holder: string }>(
    tx,
    sql`select listed.id, held.okta_id, held.id as holder
        from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as listed(id text, "oktaId" text)
        join people held on held.okta_id = listed."oktaId" and held.id <> listed.id
        order by listed.id limit 50`,
  );
  if (taken.length > 0) {
    throw new SnapshotConflict(
      taken.map((row) => `person ${row.id}: oktaId ${JSON.stringify(row.okta_id)} belongs to person ${row.holder} in the org in force`),
    );
  }
}

async function upsertOrgUnits(tx: Transaction, snapshot: OrgSnapshot): Promise<void> {
  const units = snapshot.orgUnits.map((unit) => ({ ...unit, kind: unit.kind ?? null }));
  await tx.execute(sql`
    insert into org_units (id, name, parent_id, kind, active)
    select id, name, "parentId", kind, true
    from jsonb_to_recordset(${JSON.stringify(units)}::jsonb) as u(id text, name text, "parentId" text, kind text)
    on conflict (id) do update
      set name = excluded.name, parent_id = excluded.parent_id, kind = excluded.kind, active = true`);
  await tx.execute(sql`
    update org_units set active = false
    where active and not exists (
      select 1 from jsonb_array_elements_text(${JSON.stringify(units.map((unit) => unit.id))}::jsonb) listed(id)
      where listed.id = org_units.id)`);
}

/** Unit closure (self pairs included) and the materialised Builder Relations membership. */
async function rebuildOrgUnitClosure(tx: Transaction): Promise<void> {
  await tx.execute(sql`delete from org_unit_closure`);
  await tx.execute(sql`
    insert into org_unit_closure (ancestor_id, descendant_id, depth)
    with recursive up(ancestor_id, descendant_id, depth) as (
      select id, id, 0 from org_units where active
      union all
      select parent.parent_id, up.descendant_id, up.depth + 1
      from up join org_units parent on parent.id = up.ancestor_id
      where parent.parent_id is not null and parent.active
    )
    select ancestor_id, descendant_id, depth from up`);
  await tx.execute(sql`
    update org_units u set in_builder_relations = exists (
      select 1 from org_unit_closure c join org_units a on a.id = c.ancestor_id
      where c.descendant_id = u.id and a.kind = ${BUILDER_RELATIONS_KIND})`);
}

async function upsertPeople(tx: Transaction, snapshot: OrgSnapshot): Promise<void> {
  const people = snapshot.people.map((person) => ({ ...person, title: person.title ?? null }));
  await tx.execute(sql`
    insert into people (id, okta_id, email, display_name, title, manager_id, org_unit_id, active, last_seen_sequence, updated_at)
    select id, "oktaId", email, "displayName", title, "managerId", "orgUnitId", active, ${snapshot.sequence}, now()
    from jsonb_to_recordset(${JSON.stringify(people)}::jsonb) as p(
      id text, "oktaId" text, email text, "displayName" text, title text, "managerId" text, "orgUnitId" text, active boolean)
    on conflict (id) do update set
      okta_id = excluded.okta_id, email = excluded.email, display_name = excluded.display_name,
      title = excluded.title, manager_id = excluded.manager_id, org_unit_id = excluded.org_unit_id,
      active = excluded.active, last_seen_sequence = excluded.last_seen_sequence,
      updated_at = case when (people.okta_id, people.email, people.display_name, people.title, people.manager_id,
                              people.org_unit_id, people.active)
                        is not distinct from (excluded.okta_id, excluded.email, excluded.display_name, excluded.title,
                              excluded.manager_id, excluded.org_unit_id, excluded.active)
                   then people.updated_at else now() end`);
}

/** People are never deleted: one missing from a newer snapshot is kept, inactive. */
async function deactivateMissingPeople(tx: Transaction, sequence: number): Promise<number> {
  const changed = await rows<{ id: string }>(
    tx,
    sql`update people set active = false, updated_at = now()
        where active and last_seen_sequence < ${sequence} returning id`,
  );
  return changed.length;
}

/**
 * (manager, person below them, depth) for every manager chain of the snapshot, as given: the
 * chain runs through inactive people too. Validation has ruled out cycles, so this terminates.
 */
async function rebuildReportingLines(tx: Transaction, sequence: number): Promise<void> {
  await tx.execute(sql`delete from reporting_lines`);
  await tx.execute(sql`
    insert into reporting_lines (manager_id, person_id, depth)
    with recursive chain(manager_id, person_id, depth) as (
      select manager_id, id, 1 from people
      where last_seen_sequence = ${sequence} and manager_id is not null
      union all
      select manager.manager_id, chain.person_id, chain.depth + 1
      from chain join people manager on manager.id = chain.manager_id
      where manager.manager_id is not null and manager.last_seen_sequence = ${sequence}
    )
    select manager_id, person_id, depth from chain`);
}
