/** Small hand-made org snapshots for tests. */
import type { OrgSnapshot, OrgUnitRecord, PersonRecord } from '../../org/snapshot.ts';

export function unit(id: string, parentId: string | null, kind: string | null = null): OrgUnitRecord {
  return { id, name: `Unit ${id}`, parentId, kind };
}

export function person(id: string, managerId: string | null, orgUnitId = 'ou-br', active = true): PersonRecord {
  return {
    id,
    oktaId: `00u-${id}`,
    email: `${id}@example.com`,
    displayName: `Person ${id}`,
    title: null,
    managerId,
    orgUnitId,
    active,
  };
}

/**
 * A small org: ou-root ⊃ { ou-br (builder-relations) ⊃ ou-br-dev, ou-sales }.
 * p-ceo → p-vp → p-mgr → { p-a, p-b }; p-ceo → p-sales; p-gone is inactive.
 */
export function smallOrg(sequence = 1, overrides: Partial<OrgSnapshot> = {}): OrgSnapshot {
  return {
    version: 1,
    sequence,
    generatedAt: '2026-11-20T06:00:00Z',
    orgUnits: [
      unit('ou-root', null),
      unit('ou-br', 'ou-root', 'builder-relations'),
      unit('ou-br-dev', 'ou-br'),
      unit('ou-sales', 'ou-root'),
    ],
    people: [
      person('p-ceo', null, 'ou-root'),
      person('p-vp', 'p-ceo'),
      person('p-mgr', 'p-vp', 'ou-br-dev'),
      person('p-a', 'p-mgr', 'ou-br-dev'),
      person('p-b', 'p-mgr', 'ou-br-dev'),
      person('p-sales', 'p-ceo', 'ou-sales'),
      person('p-gone', 'p-vp', 'ou-br', false),
    ],
    ...overrides,
  };
}
