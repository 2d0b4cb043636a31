/**
 * The governance rules as a table (DESIGN §4): who may start and end break-glass, grant, approve
 * and revoke exceptions, stage and approve imports, and read or record access reviews — with
 * "no one grants anything to themselves" and "a second admin approves". Also how exceptions and
 * sessions enter a viewer's roles.
 */
import { describe, expect, it } from 'vitest';
import type { VerifiedToken } from '../../../auth/claims.ts';
import type { PersonFacts } from '../../../org/directory.ts';
import { asSubject } from '../../../policies/access.ts';
import { roleSources } from '../../../policies/explain.ts';
import { buildAbility, type Viewer } from '../../../policies/index.ts';
import { viewerOf } from '../../../policies/principal.ts';
import { personRoles, type PersonRole } from '../../../policies/roles.ts';

const person = (roles: PersonRole[], personId = 'me'): Viewer => ({ kind: 'person', personId, orgUnitId: 'u', roles, breakGlass: false });
const ADMIN = person(['member', 'admin']);
const AUDITOR = person(['member', 'auditor']);
const MEMBER = person(['member', 'builder', 'manager', 'analyst']);
const DASHBOARD: Viewer = { kind: 'service', clientId: 'dashboard-service', roles: ['dashboard'] };
const NOBODY: Viewer = { kind: 'nobody' };

const exception = (granteeId: string, requesterId: string) => asSubject('RoleException', { id: 'e', granteeId, requesterId });
const importRequest = (requesterId: string) => asSubject('OrgImportRequest', { id: 'r', requesterId });
const grant = (personId: string) => asSubject('AccessReview', { grantId: 'g', personId });

describe('governance rules', () => {
  it('gives operations to admins only', () => {
    for (const viewer of [ADMIN, AUDITOR, MEMBER, DASHBOARD, NOBODY]) {
      const ability = buildAbility(viewer);
      const admin = viewer === ADMIN;
      expect(ability.can('start', 'BreakGlass'), JSON.stringify(viewer)).toBe(admin);
      expect(ability.can('end', 'BreakGlass')).toBe(admin);
      expect(ability.can('grant', 'RoleException')).toBe(admin);
      expect(ability.can('approve', 'RoleException')).toBe(admin);
      expect(ability.can('revoke', 'RoleException')).toBe(admin);
      expect(ability.can('import', 'OrgSnapshot')).toBe(admin);
      expect(ability.can('read', 'OrgSnapshot')).toBe(admin);
      expect(ability.can('approve', 'OrgImportRequest')).toBe(admin);
    }
  });

  it('refuses grants to oneself and approvals by the requester or the grantee', () => {
    const ability = buildAbility(ADMIN);
    expect(ability.can('grant', exception('other', 'me'))).toBe(true);
    expect(ability.can('grant', exception('me', 'me'))).toBe(false);
    expect(ability.can('approve', exception('other', 'someone'))).toBe(true);
    expect(ability.can('approve', exception('other', 'me'))).toBe(false);
    expect(ability.can('approve', exception('me', 'someone'))).toBe(false);
    expect(ability.can('revoke', exception('me', 'someone'))).toBe(true);
    expect(ability.can('approve', importRequest('someone'))).toBe(true);
    expect(ability.can('approve', importRequest('me'))).toBe(false);
    expect(ability.relevantRuleFor('grant', exception('me', 'me'))?.reason).toBe('no one grants anything to themselves');
  });

  it('lets auditors and admins read and record access reviews, never of their own grants', () => {
    for (const viewer of [ADMIN, AUDITOR]) {
      const ability = buildAbility(viewer);
      expect(ability.can('read', 'AccessReview')).toBe(true);
      expect(ability.can('record', 'AccessReview')).toBe(true);
      expect(ability.can('record', grant('other'))).toBe(true);
      expect(ability.can('record', grant('me'))).toBe(false);
    }
    for (const viewer of [MEMBER, DASHBOARD, NOBODY]) {
      expect(buildAbility(viewer).can('read', 'AccessReview')).toBe(false);
      expect(buildAbility(viewer).can('record', grant('other'))).toBe(false);
    }
  });
});

describe('exceptions and sessions in roles', () => {
  const facts: PersonFacts = {
    id: 'p-1',
    oktaId: '00u1',
    email: 'one@example.com',
    displayName: 'One',
    title: null,
    orgUnitId: 'u',
    active: true,
    inBuilderRelations: false,
    hasDirectReports: false,
    exceptions: [{ id: 'e-1', role: 'auditor', approvedBy: 'p-2', expiresAt: new Date('2026-12-01T00:00:00Z') }],
    breakGlassSessionId: 's-1',
  };
  const principal = (overrides: Partial<PersonFacts>, groups: string[] = []) => ({
    kind: 'person' as const,
    token: { subject: 'one@example.com', groups, scopes: [] } as unknown as VerifiedToken,
    person: { ...facts, ...overrides },
  });

  it('adds grantable exception roles only, and none to someone inactive or missing', () => {
    expect(personRoles(facts, [], [{ role: 'auditor' }, { role: 'admin' }])).toEqual(['member', 'auditor', 'admin']);
    expect(personRoles(facts, [], [{ role: 'builder' }, { role: 'manager' }, { role: '__proto__' }])).toEqual(['member']);
    expect(personRoles({ ...facts, active: false }, [], [{ role: 'admin' }])).toEqual([]);
    expect(personRoles(undefined, [], [{ role: 'admin' }])).toEqual([]);
  });

  it('builds the viewer with exception roles, and break-glass only for an admin', () => {
    expect(viewerOf(principal({}))).toMatchObject({ roles: ['member', 'auditor'], breakGlass: false });
    expect(viewerOf(principal({}, ['builder-insights-admins']))).toMatchObject({ roles: ['member', 'auditor', 'admin'], breakGlass: true });
    expect(viewerOf(principal({ exceptions: [{ id: 'e-2', role: 'admin', approvedBy: 'p-2', expiresAt: new Date() }] }))).toMatchObject({ breakGlass: true });
    expect(viewerOf(principal({ breakGlassSessionId: null }, ['builder-insights-admins']))).toMatchObject({ breakGlass: false });
    expect(viewerOf(principal({ active: false }, ['builder-insights-admins']))).toMatchObject({ roles: [], breakGlass: false });
  });

  it('explains where each role comes from', () => {
    expect(roleSources({ ...facts, breakGlassSessionId: null }, ['builder-insights-auditors'])).toEqual([
      { role: 'member', source: 'active in the org source' },
      { role: 'auditor', source: 'Okta group builder-insights-auditors' },
      { role: 'auditor', source: 'exception e-1, approved by p-2, until 2026-12-01T00:00:00.000Z' },
    ]);
    expect(roleSources(facts, ['builder-insights-admins'])).toContainEqual({ role: 'break-glass', source: 'break-glass session s-1 (DESIGN §4 rule 5)' });
    expect(roleSources({ ...facts, active: false }, ['builder-insights-admins'])).toEqual([]);
  });
});
