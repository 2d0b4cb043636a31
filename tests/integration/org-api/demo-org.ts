/**
 * Expectations about the demo org, computed by walking `demoSnapshot()` in the test itself:
 * never by calling the gateway code under test.
 */
import { demoSnapshot } from '../../../db/seed/demo.ts';

const snapshot = demoSnapshot();

export const demoPeople = snapshot.people;
export const demoUnits = snapshot.orgUnits;

const personById = new Map(demoPeople.map((person) => [person.id, person]));
const unitById = new Map(demoUnits.map((unit) => [unit.id, unit]));

export function demoPerson(id: string) {
  const person = personById.get(id);
  if (!person) throw new Error(`no demo person ${id}`);
  return person;
}

/** The managers above a person, nearest first, by following manager links. */
export function chainOf(id: string): string[] {
  const chain: string[] = [];
  for (let current = demoPerson(id).managerId; current !== null; current = demoPerson(current).managerId) {
    chain.push(current);
  }
  return chain;
}

/** Everyone below a manager (any depth) with their depth below them, walking down direct reports. */
export function belowOf(managerId: string): Map<string, number> {
  const below = new Map<string, number>();
  let level = [managerId];
  for (let depth = 1; level.length > 0; depth += 1) {
    level = demoPeople.filter((person) => person.managerId !== null && level.includes(person.managerId)).map((person) => person.id);
    for (const id of level) below.set(id, depth);
  }
  return below;
}

/** A unit and every unit inside it, at any depth. */
export function subtreeOf(unitId: string): Set<string> {
  const units = new Set([unitId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of demoUnits) {
      if (unit.parentId !== null && units.has(unit.parentId) && !units.has(unit.id)) {
        units.add(unit.id);
        grew = true;
      }
    }
  }
  return units;
}

/** How many units lie above a unit (the root is 0). */
export function unitDepth(unitId: string): number {
  let depth = 0;
  for (let parent = unitById.get(unitId)?.parentId ?? null; parent !== null; parent = unitById.get(parent)?.parentId ?? null) depth += 1;
  return depth;
}

export function idsWhere(predicate: (person: (typeof demoPeople)[number]) => boolean): string[] {
  return demoPeople.filter(predicate).map((person) => person.id).sort();
}
