/** Condition shapes the rule files share. */

/**
 * "The array field holds this id": Mongo's `$all` with one element, which CASL evaluates on a
 * loaded row and the SQL compiler (policies/sql) turns into an indexed EXISTS on the closure
 * table. Typed `never` on purpose: CASL's typings read `$all` on an array field as an array of
 * arrays; the compiler and the policy tests check these conditions instead.
 */
export function contains(id: string): never {
  return { $all: [id] } as never;
}
