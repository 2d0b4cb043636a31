/**
 * Checks across the records of a snapshot that a schema cannot express: duplicates, references
 * to records that are not there, and cycles. Each problem names the records involved.
 */
import type { OrgSnapshot } from './snapshot.ts';

/** How many problems a rejection lists before summarising the rest. */
const MAX_LISTED_PROBLEMS = 50;

export function findSnapshotProblems(snapshot: OrgSnapshot): string[] {
  const problems = [
    ...duplicateProblems('org unit id', snapshot.orgUnits.map((unit) => [unit.id, unit.id])),
    ...duplicateProblems('person id', snapshot.people.map((person) => [person.id, person.id])),
    ...duplicateProblems('email', snapshot.people.map((person) => [person.email.toLowerCase(), person.id])),
    ...duplicateProblems('oktaId', snapshot.people.map((person) => [person.oktaId, person.id])),
    ...referenceProblems(snapshot),
    ...cycleProblems('org unit parent cycle', new Map(snapshot.orgUnits.map((unit) => [unit.id, unit.parentId]))),
    ...cycleProblems('reporting-line cycle', new Map(snapshot.people.map((person) => [person.id, person.managerId]))),
  ];
  return summarise(problems);
}

function summarise(problems: string[]): string[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  const rest = problems.length - MAX_LISTED_PROBLEMS;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), `… and ${rest} more problem${rest === 1 ? '' : 's'}`];
}

/** entries: [key, the id of the record holding it]. */
function duplicateProblems(what: string, entries: [string, string][]): string[] {
  const holders = new Map<string, string[]>();
  for (const [key, holder] of entries) holders.set(key, [...(holders.get(key) ?? []), holder]);
  const problems: string[] = [];
  for (const [key, ids] of holders) {
    if (ids.length > 1) problems.push(`duplicate ${what} ${JSON.stringify(key)} (held by ${ids.join(', ')})`);
  }
  return problems;
}

function referenceProblems(snapshot: OrgSnapshot): string[] {
  const unitIds = new Set(snapshot.orgUnits.map((unit) => unit.id));
  const personIds = new Set(snapshot.people.map((person) => person.id));
  const problems: string[] = [];
  for (const unit of snapshot.orgUnits) {
    if (unit.parentId !== null && !unitIds.has(unit.parentId)) {
      problems.push(`org unit ${unit.id}: unknown parent ${unit.parentId}`);
    }
  }
  for (const person of snapshot.people) {
    if (person.managerId !== null && !personIds.has(person.managerId)) {
      problems.push(`person ${person.id}: unknown manager ${person.managerId}`);
    }
    if (!unitIds.has(person.orgUnitId)) problems.push(`person ${person.id}: unknown org unit ${person.orgUnitId}`);
  }
  return problems;
}

/**
 * Finds every cycle in a "points to its parent" forest in linear time. References to unknown
 * ids are reported elsewhere and treated here as roots.
 */
function cycleProblems(what: string, parentOf: Map<string, string | null>): string[] {
  const settled = new Set<string>();
  const problems: string[] = [];
  for (const start of parentOf.keys()) {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let current: string | null | undefined = start;
    while (current != null && parentOf.has(current) && !settled.has(current)) {
      const seenAt = onPath.get(current);
      if (seenAt !== undefined) {
        const cycle = path.slice(seenAt);
        problems.push(`${what}: ${[...cycle, current].join(' → ')}`);
        break;
      }
      onPath.set(current, path.length);
      path.push(current);
      current = parentOf.get(current);
    }
    for (const id of path) settled.add(id);
  }
  return problems;
}
