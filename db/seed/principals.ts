/**
 * Chooses the principals a benchmark measures with: the VP with the largest reporting line, a mid
 * manager with about a tenth of the org, and a leaf deep in the VP's line.
 */
import type { OrgSnapshot } from '../../org/snapshot.ts';

/** The mid manager's reporting line, as a share of the org (the generator builds one to match). */
export const MID_MANAGER_LINE_SHARE = 0.1;

export interface BenchmarkPrincipals {
  /** An active individual contributor at the deepest level of the VP's line. */
  readonly leaf: string;
  /** The active manager below VP level whose reporting line is closest to 10% of the org. */
  readonly midManager: string;
  /** The active VP (reporting to a top-level person) with the largest reporting line (~60%). */
  readonly vp: string;
}

/**
 * Picks the principals a benchmark measures with, from the snapshot alone (reporting lines are
 * recomputed by walking manager links, so this works on any snapshot, not only generated ones).
 */
export function pickPrincipals(snapshot: OrgSnapshot): BenchmarkPrincipals {
  const { level, lineSize, vpLineOf } = analyse(snapshot);
  const active = snapshot.people.filter((person) => person.active);
  const vp = maxBy(
    active.filter((person) => level.get(person.id) === 2),
    (person) => lineSize.get(person.id) ?? 0,
  );
  const target = MID_MANAGER_LINE_SHARE * snapshot.people.length;
  const midManager = maxBy(
    active.filter((person) => (level.get(person.id) ?? 0) >= 3 && (lineSize.get(person.id) ?? 0) > 0),
    (person) => -Math.abs((lineSize.get(person.id) ?? 0) - target),
  );
  const leavesInLine = active.filter((person) => (lineSize.get(person.id) ?? 0) === 0 && vp && vpLineOf.get(person.id) === vp.id);
  const leaf = maxBy(leavesInLine, (person) => level.get(person.id) ?? 0);
  if (!vp || !midManager || !leaf) throw new Error('the org is too small to pick benchmark principals (it needs at least three levels)');
  return { leaf: leaf.id, midManager: midManager.id, vp: vp.id };
}

/** Level (top = 1), reporting-line size and level-2 ancestor of every person. */
function analyse(snapshot: OrgSnapshot) {
  const managerOf = new Map(snapshot.people.map((person) => [person.id, person.managerId]));
  const level = new Map<string, number>();
  const lineSize = new Map<string, number>();
  const vpLineOf = new Map<string, string>();
  for (const person of snapshot.people) {
    const chain: string[] = [];
    let current = person.managerId;
    // Bounded by the head count, so a (rejected-elsewhere) cycle cannot loop forever.
    while (current != null && managerOf.has(current) && chain.length < snapshot.people.length) {
      chain.push(current);
      current = managerOf.get(current) ?? null;
    }
    level.set(person.id, chain.length + 1);
    for (const manager of chain) lineSize.set(manager, (lineSize.get(manager) ?? 0) + 1);
    if (chain.length >= 2) vpLineOf.set(person.id, chain[chain.length - 2] as string);
  }
  return { level, lineSize, vpLineOf };
}

/** The first item with the highest score (stable, so picks are deterministic). */
function maxBy<T>(items: readonly T[], score: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const item of items) {
    const value = score(item);
    if (value > bestScore) {
      best = item;
      bestScore = value;
    }
  }
  return best;
}
