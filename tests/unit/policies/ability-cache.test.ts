/**
 * The ability cache against its reference model, `buildAbility` on every request: for any
 * sequence of viewers (few and alike, so keys collide and the small cache evicts), the cached
 * ability holds the same rules as a fresh one, and the scopes compiled once for it render the
 * same SQL as scopes compiled afresh.
 */
import fc from 'fast-check';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../../db/scope.ts';
import { createAbilityCache } from '../../../policies/ability-cache.ts';
import { personScope, reportCountAccess, reportScope } from '../../../policies/access.ts';
import { buildAbility } from '../../../policies/index.ts';
import { PERSON_ROLES } from '../../../policies/roles.ts';
import { SERVICE_ROLES } from '../../../policies/services.ts';
import type { Viewer } from '../../../policies/viewer.ts';

const dialect = new PgDialect();

function render(scope: Scope | undefined): string {
  if (scope?.kind !== 'where') return String(scope?.kind);
  const query = dialect.sqlToQuery(scope.where);
  return `${query.sql} ${JSON.stringify(query.params)}`;
}

function renderAll(ability: ReturnType<typeof buildAbility>, viewer: Viewer): string[] {
  const count = reportCountAccess(ability, viewer);
  const byUnit = count.cells?.byUnit;
  return [
    render(reportScope(ability, 'read', 'probe')),
    render(reportScope(ability, 'read')),
    render(reportScope(ability, 'aggregate')),
    render(personScope(ability)),
    render(count.rows),
    render(count.cells?.line),
    render(count.cells?.other),
    String(count.cells?.viewerId),
    String(byUnit?.unitId),
    render(byUnit?.lineMine),
    render(byUnit?.otherElsewhere),
  ];
}

const viewers: fc.Arbitrary<Viewer> = fc.oneof(
  fc.record({
    kind: fc.constant('person' as const),
    personId: fc.constantFrom('p1', 'p2'),
    orgUnitId: fc.constantFrom('u1', 'u2'),
    roles: fc.subarray([...PERSON_ROLES]),
    breakGlass: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('service' as const), clientId: fc.constantFrom('c1', 'c2'), roles: fc.subarray([...SERVICE_ROLES]) }),
  fc.constant({ kind: 'nobody' as const }),
);

describe('ability cache', () => {
  it('answers every viewer as buildAbility would, through collisions and evictions', () => {
    fc.assert(
      fc.property(fc.array(viewers, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 4 }), (sequence, size) => {
        const abilityFor = createAbilityCache(size);
        for (const viewer of sequence) {
          const cached = abilityFor(viewer);
          const fresh = buildAbility(viewer);
          expect(cached.rules).toEqual(fresh.rules);
          expect(renderAll(cached, viewer)).toEqual(renderAll(fresh, viewer));
        }
      }),
    );
  });

  it('shares one ability between equal viewers and none between viewers differing in any field', () => {
    const abilityFor = createAbilityCache();
    const viewer: Viewer = { kind: 'person', personId: 'p1', orgUnitId: 'u1', roles: ['member', 'manager'], breakGlass: false };
    const first = abilityFor(viewer);
    expect(abilityFor({ ...viewer, roles: [...viewer.roles] })).toBe(first);
    const variants: Viewer[] = [
      { ...viewer, personId: 'p2' },
      { ...viewer, orgUnitId: 'u2' },
      { ...viewer, roles: ['member'] },
      { ...viewer, breakGlass: true },
    ];
    for (const variant of variants) expect(abilityFor(variant)).not.toBe(first);
  });

  it('forgets the least recently used viewer first', () => {
    const abilityFor = createAbilityCache(2);
    const viewer = (personId: string): Viewer => ({ kind: 'person', personId, orgUnitId: 'u1', roles: ['member'], breakGlass: false });
    const a = abilityFor(viewer('a'));
    const b = abilityFor(viewer('b'));
    expect(abilityFor(viewer('a'))).toBe(a);
    abilityFor(viewer('c'));
    expect(abilityFor(viewer('a'))).toBe(a);
    expect(abilityFor(viewer('b'))).not.toBe(b);
  });
});
