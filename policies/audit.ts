/**
 * The audit trail and access reviews: auditors and admins (DESIGN §4). No one reviews their own
 * grant: a KEEP would be a grant to oneself.
 */
import type { AbilityBuilder } from '@casl/ability';
import type { AppAbility } from './subjects.ts';
import { hasRole, type Viewer } from './viewer.ts';

export function defineAuditRules({ can, cannot }: AbilityBuilder<AppAbility>, viewer: Viewer): void {
  if (viewer.kind !== 'person') return;
  if (hasRole(viewer, 'auditor') || hasRole(viewer, 'admin')) {
    can('read', 'AuditEvent');
    can(['read', 'record'], 'AccessReview');
    cannot('record', 'AccessReview', { personId: viewer.personId }).because('no one reviews their own grant');
  }
}
