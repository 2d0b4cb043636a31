import { packRules, unpackRules } from '@casl/ability/extra';
import { createMongoAbility, subject } from '@casl/ability';
import { describe, expect, it } from 'vitest';
import { RULE_FILES, buildAbility } from '../../../policies/index.ts';
import { policyVersion, printedPolicy } from '../../../policies/version.ts';

describe('the policy as data', () => {
  it('registers one rule file per subject, explicitly', () => {
    expect(RULE_FILES.map((file) => file.subject)).toEqual(['Report', 'Person', 'OrgUnit', 'AuditEvent', 'Governance']);
  });

  it('has a version that is a stable hash of the printed rules', () => {
    expect(policyVersion()).toMatch(/^[0-9a-f]{16}$/);
    expect(policyVersion()).toBe(policyVersion());
    expect(printedPolicy().length).toBeGreaterThan(5);
  });

  it('packs rules that a UI can rebuild into the same decisions', () => {
    const viewer = { kind: 'person' as const, personId: 'p1', orgUnitId: 'u1', roles: ['member' as const, 'builder' as const], breakGlass: false };
    const original = buildAbility(viewer);
    const rebuilt = createMongoAbility(unpackRules(packRules(original.rules)));
    const own = subject('Report', { authorId: 'p1', status: 'DRAFT', sensitivity: 'INTERNAL' });
    const foreign = subject('Report', { authorId: 'p2', status: 'DRAFT', sensitivity: 'INTERNAL', authorManagerIds: [] });
    for (const action of ['read', 'update', 'submit', 'publish'] as const) {
      expect(rebuilt.can(action, own)).toBe(original.can(action, own as never));
      expect(rebuilt.can(action, foreign)).toBe(original.can(action, foreign as never));
    }
    expect(rebuilt.can('update', own)).toBe(true);
    expect(rebuilt.can('read', foreign)).toBe(false);
  });
});
