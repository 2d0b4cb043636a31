/**
 * The org directory (DESIGN §4): every member reads people and their place in the org, but a
 * person's email only the person, anyone whose reporting line holds them, auditors and admins.
 */
import type { AbilityBuilder } from '@casl/ability';
import { contains } from './conditions.ts';
import { PERSON_FIELDS, type AppAbility } from './subjects.ts';
import { hasRole, type Viewer } from './viewer.ts';

const WITHOUT_EMAIL = PERSON_FIELDS.filter((field) => field !== 'email');

export function definePersonRules({ can }: AbilityBuilder<AppAbility>, viewer: Viewer): void {
  if (viewer.kind !== 'person' || !hasRole(viewer, 'member')) return;
  const me = viewer.personId;
  can('read', 'Person', WITHOUT_EMAIL);
  can('read', 'Person', ['email'], { id: me });
  can('read', 'Person', ['email'], { managerIds: contains(me) });
  if (hasRole(viewer, 'auditor') || hasRole(viewer, 'admin')) can('read', 'Person');
  // explainAccess: about oneself for everyone; about others for auditors and admins.
  can('explain', 'Person', { id: me });
  if (hasRole(viewer, 'auditor') || hasRole(viewer, 'admin')) can('explain', 'Person');
}
