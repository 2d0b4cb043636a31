/**
 * The policy version: a hash of the rules as data — printed for a set of reference viewers — and
 * of the group, exception and service mappings. Any change to what the policy allows changes it; it is shown
 * in `me` and recorded with every audit event.
 */
import { createHash } from 'node:crypto';
import { buildAbility } from './index.ts';
import { GRANTABLE_ROLES, GROUP_ROLES, PERSON_ROLES } from './roles.ts';
import { SERVICES } from './services.ts';
import type { PersonViewer, Viewer } from './viewer.ts';

/** Viewers whose printed rules, together, cover every rule of every file. */
export function referenceViewers(): Viewer[] {
  const person = (roles: PersonViewer['roles'], breakGlass = false): Viewer => ({
    kind: 'person',
    personId: '$viewer',
    orgUnitId: '$viewerUnit',
    roles,
    breakGlass,
  });
  return [
    { kind: 'nobody' },
    ...PERSON_ROLES.map((role) => person(role === 'member' ? ['member'] : ['member', role])),
    person([...PERSON_ROLES], true),
    ...Object.keys(SERVICES).map((clientId): Viewer => ({ kind: 'service', clientId, roles: SERVICES[clientId]?.roles ?? [] })),
  ];
}

/** The rules of each reference viewer, as plain data (for printing, diffing and hashing). */
export function printedPolicy(): { viewer: Viewer; rules: unknown[] }[] {
  return referenceViewers().map((viewer) => ({ viewer, rules: buildAbility(viewer).rules.map((rule) => ({ ...rule })) }));
}

let cached: string | undefined;

export function policyVersion(): string {
  cached ??= createHash('sha256')
    .update(JSON.stringify({ rules: printedPolicy(), groups: GROUP_ROLES, grantable: GRANTABLE_ROLES, services: SERVICES }))
    .digest('hex')
    .slice(0, 16);
  return cached;
}
