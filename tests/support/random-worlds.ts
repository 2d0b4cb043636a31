/**
 * Random worlds for property tests of the report policy: a small org (units, people, manager
 * links, Builder Relations units), reports, and viewers (people with groups and break-glass,
 * service clients), with the snapshot and tokens they stand for.
 */
import fc from 'fast-check';
import type { VerifiedToken } from '../../auth/index.ts';
import type { OrgSnapshot } from '../../org/snapshot.ts';
import type * as ref from './reference-policy.ts';

export const STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED'] as const;
export const SENSITIVITIES = ['INTERNAL', 'CONFIDENTIAL'] as const;
export const GROUPS = ['builder-insights-analysts', 'builder-insights-auditors', 'builder-insights-admins', 'other-group'];
export const WORKFLOW = ['update', 'submit', 'publish', 'return', 'archive'] as const;

/** true with probability p. */
export const chance = (p: number) => fc.integer({ min: 0, max: 999 }).map((n) => n < p * 1000);

export const personViewer = fc.record({
  kind: fc.constant('person' as const),
  who: fc.nat(),
  missing: chance(0.1),
  groups: fc.subarray(GROUPS),
  breakGlass: chance(0.15),
});
export const clientViewer = fc.record({ kind: fc.constant('client' as const), clientId: fc.constantFrom('dashboard-service', 'unlisted-client') });

export const worlds = fc.record({
  units: fc.array(fc.record({ parent: fc.option(fc.nat(), { freq: 3 }), br: chance(0.3) }), { minLength: 1, maxLength: 6 }),
  people: fc.array(
    fc.record({ manager: fc.option(fc.nat(), { freq: 5 }), unit: fc.nat(), active: chance(0.85) }),
    { minLength: 1, maxLength: 20 },
  ),
  reports: fc.array(
    fc.record({
      author: fc.nat(),
      ownUnit: chance(0.8),
      unit: fc.nat(),
      status: fc.constantFrom(...STATUSES),
      sensitivity: fc.constantFrom(...SENSITIVITIES),
    }),
    { maxLength: 30 },
  ),
  viewers: fc.array(fc.oneof({ weight: 5, arbitrary: personViewer }, { weight: 1, arbitrary: clientViewer }), { minLength: 1, maxLength: 5 }),
});
export type World = typeof worlds extends fc.Arbitrary<infer T> ? T : never;

export function snapshotOf(world: World, sequence: number): OrgSnapshot {
  return {
    version: 1,
    sequence,
    generatedAt: '2026-11-20T06:00:00Z',
    orgUnits: world.units.map((unit, index) => ({
      id: `u${index}`,
      name: `Unit ${index}`,
      parentId: index === 0 || unit.parent === null ? null : `u${unit.parent % index}`,
      kind: unit.br ? 'builder-relations' : null,
    })),
    people: world.people.map((entry, index) => ({
      id: `p${index}`,
      oktaId: `00u${index}`,
      email: `p${index}@example.com`,
      displayName: `P ${index}`,
      title: null,
      managerId: index === 0 || entry.manager === null ? null : `p${entry.manager % index}`,
      orgUnitId: `u${entry.unit % world.units.length}`,
      active: entry.active,
    })),
  };
}

export function tokenFor(viewer: World['viewers'][number], world: World): { token: VerifiedToken; refViewer: ref.RefViewer } {
  const base = { scopes: ['insights.read'], issuedAt: new Date(), expiresAt: new Date(Date.now() + 3600_000) };
  if (viewer.kind === 'client') {
    return {
      token: { ...base, subject: viewer.clientId, clientId: viewer.clientId, groups: [] },
      refViewer: { kind: 'client', clientId: viewer.clientId },
    };
  }
  const index = viewer.who % world.people.length;
  const personId = viewer.missing ? null : `p${index}`;
  return {
    token: { ...base, subject: `p${index}@example.com`, oktaUserId: viewer.missing ? '00u-nobody' : `00u${index}`, groups: viewer.groups },
    refViewer: { kind: 'person', personId, groups: viewer.groups, breakGlass: viewer.breakGlass },
  };
}

