/**
 * One ability per viewer value, kept across requests. `buildAbility` is a pure function of the
 * viewer (rules read nothing else: no clock, no environment), so two requests whose viewers are
 * equal field for field get the same rules, and the ability built for the first serves the
 * second, with every scope already compiled for it (policies/compiled.ts).
 *
 * The key is the whole viewer serialised, not a list of the fields rules read today: a field
 * added to Viewer tomorrow is in the key without anyone remembering to add it. The viewer is
 * still resolved from the org source on every request, so a role withdrawn, a person moved or a
 * break-glass session ended changes the key on the next request; nothing here outlives a fact.
 */
import { LRUCache } from 'lru-cache';
import { buildAbility, type AppAbility } from './index.ts';
import type { Viewer } from './viewer.ts';

/** Distinct viewers remembered per process; the least recently used are built again. */
export const ABILITY_CACHE_SIZE = 10_000;

export type AbilityFor = (viewer: Viewer) => AppAbility;

export function viewerKey(viewer: Viewer): string {
  return JSON.stringify(viewer);
}

export function createAbilityCache(size: number = ABILITY_CACHE_SIZE): AbilityFor {
  const abilities = new LRUCache<string, AppAbility>({ max: size });
  return (viewer) => {
    const key = viewerKey(viewer);
    let ability = abilities.get(key);
    if (!ability) {
      ability = buildAbility(viewer);
      abilities.set(key, ability);
    }
    return ability;
  };
}
