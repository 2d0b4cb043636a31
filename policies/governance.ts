/**
 * Privileged operations (DESIGN §4). No one grants anything to themselves, and every second
 * approval comes from an admin other than the requester and the grantee. Admin rights never
 * grant report content: that takes a break-glass session (report.ts, rule 5).
 */
import type { AbilityBuilder } from '@casl/ability';
import type { AppAbility } from './subjects.ts';
import { hasRole, type Viewer } from './viewer.ts';

export function defineGovernanceRules({ can, cannot }: AbilityBuilder<AppAbility>, viewer: Viewer): void {
  if (viewer.kind !== 'person') return;
  const me = viewer.personId;
  if (hasRole(viewer, 'analyst') || hasRole(viewer, 'admin')) can('read', 'UsageStats');
  if (!hasRole(viewer, 'admin')) return;
  can('read', ['Readiness', 'OrgSnapshot']);
  can(['start', 'end'], 'BreakGlass');
  can('import', 'OrgSnapshot');
  can(['grant', 'approve', 'revoke'], 'RoleException');
  cannot(['grant', 'approve'], 'RoleException', { granteeId: me }).because('no one grants anything to themselves');
  cannot('approve', 'RoleException', { requesterId: me }).because('the second approval comes from another admin');
  can('approve', 'OrgImportRequest');
  cannot('approve', 'OrgImportRequest', { requesterId: me }).because('the second approval comes from another admin');
}
