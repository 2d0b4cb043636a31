/** Org units are readable by every member (DESIGN §4). */
import type { AbilityBuilder } from '@casl/ability';
import type { AppAbility } from './subjects.ts';
import { hasRole, type Viewer } from './viewer.ts';

export function defineOrgUnitRules({ can }: AbilityBuilder<AppAbility>, viewer: Viewer): void {
  if (viewer.kind === 'person' && hasRole(viewer, 'member')) can('read', 'OrgUnit');
}
