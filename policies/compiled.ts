/**
 * Scopes compiled once per ability. Compiling is a pure function of the ability's rules and the
 * compile arguments, and abilities are never changed once built (nothing here calls CASL's
 * `update`), so what one request compiled serves every later request holding the same ability
 * (policies/ability-cache.ts). The compiled SQL fragments are only ever wrapped, never mutated.
 *
 * Kept on a WeakMap: an ability dropped from the cache takes its compiled scopes with it.
 */
import type { AppAbility } from './subjects.ts';

const compiledByAbility = new WeakMap<AppAbility, Map<string, unknown>>();

export function compiledOnce<T>(ability: AppAbility, key: string, compile: () => T): T {
  let compiled = compiledByAbility.get(ability);
  if (!compiled) {
    compiled = new Map();
    compiledByAbility.set(ability, compiled);
  }
  if (compiled.has(key)) return compiled.get(key) as T;
  const value = compile();
  compiled.set(key, value);
  return value;
}
