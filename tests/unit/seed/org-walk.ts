/**
 * Facts about a snapshot computed by walking it, independently of the generator's bookkeeping,
 * and the validity checks every generated org must pass.
 */
import { expect } from 'vitest';
import { orgSnapshot, type OrgSnapshot } from '../../../org/snapshot.ts';
import { findSnapshotProblems } from '../../../org/validate.ts';

export interface OrgFacts {
  /** Level of each person, top = 1; undefined for someone on a manager cycle. */
  readonly level: Map<string, number>;
  readonly maxLevel: number;
  /** Everyone below each person in the manager chain (their reporting line), transitively. */
  readonly lineSize: Map<string, number>;
  readonly cyclic: string[];
  /** Manager chain of a person, nearest first. */
  chain(id: string): string[];
}

export function orgFacts(snapshot: OrgSnapshot): OrgFacts {
  const managerOf = new Map(snapshot.people.map((person) => [person.id, person.managerId]));
  const chain = (id: string): string[] => {
    const seen = new Set<string>([id]);
    const result: string[] = [];
    let current = managerOf.get(id) ?? null;
    while (current !== null) {
      if (seen.has(current)) throw new Error(`manager cycle through ${current}`);
      seen.add(current);
      result.push(current);
      current = managerOf.get(current) ?? null;
    }
    return result;
  };
  const level = new Map<string, number>();
  const lineSize = new Map<string, number>(snapshot.people.map((person) => [person.id, 0]));
  const cyclic: string[] = [];
  for (const person of snapshot.people) {
    let managers: string[];
    try {
      managers = chain(person.id);
    } catch {
      cyclic.push(person.id);
      continue;
    }
    level.set(person.id, managers.length + 1);
    for (const manager of managers) lineSize.set(manager, (lineSize.get(manager) ?? 0) + 1);
  }
  return { level, maxLevel: Math.max(0, ...level.values()), lineSize, cyclic, chain };
}

export function builderRelationsUnitIds(snapshot: OrgSnapshot): Set<string> {
  const parentOf = new Map(snapshot.orgUnits.map((unit) => [unit.id, unit.parentId]));
  const roots = new Set(snapshot.orgUnits.filter((unit) => unit.kind === 'builder-relations').map((unit) => unit.id));
  const members = new Set<string>();
  for (const unit of snapshot.orgUnits) {
    for (let current: string | null | undefined = unit.id; current; current = parentOf.get(current)) {
      if (roots.has(current)) {
        members.add(unit.id);
        break;
      }
    }
  }
  return members;
}

/** The invariants of DESIGN §3 plus the generator's own promises (depth, one BR unit). */
export function expectValidOrg(snapshot: OrgSnapshot, options: { depth: number; people: number }): OrgFacts {
  expect(() => orgSnapshot.parse(snapshot)).not.toThrow();
  expect(findSnapshotProblems(snapshot)).toEqual([]);
  expect(snapshot.people).toHaveLength(options.people);
  expect(snapshot.orgUnits.filter((unit) => unit.kind === 'builder-relations')).toHaveLength(1);

  const unique = (values: string[]) => new Set(values).size === values.length;
  expect(unique(snapshot.people.map((person) => person.id))).toBe(true);
  expect(unique(snapshot.people.map((person) => person.email.toLowerCase()))).toBe(true);
  expect(unique(snapshot.people.map((person) => person.oktaId))).toBe(true);
  expect(unique(snapshot.orgUnits.map((unit) => unit.id))).toBe(true);
  for (const person of snapshot.people) expect(person.email).toBe(person.email.toLowerCase());

  const unitIds = new Set(snapshot.orgUnits.map((unit) => unit.id));
  const personIds = new Set(snapshot.people.map((person) => person.id));
  for (const unit of snapshot.orgUnits) if (unit.parentId !== null) expect(unitIds.has(unit.parentId)).toBe(true);
  for (const person of snapshot.people) {
    expect(unitIds.has(person.orgUnitId)).toBe(true);
    if (person.managerId !== null) expect(personIds.has(person.managerId)).toBe(true);
  }

  const facts = orgFacts(snapshot);
  expect(facts.cyclic).toEqual([]);
  expect(facts.maxLevel).toBeLessThanOrEqual(options.depth);
  expect(snapshot.people.filter((person) => person.managerId === null)).toHaveLength(1);
  return facts;
}
