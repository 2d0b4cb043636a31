import { describe, expect, it } from 'vitest';
import { personRoles } from '../../../policies/roles.ts';
import { serviceRoles } from '../../../policies/services.ts';

const active = { active: true, inBuilderRelations: false, hasDirectReports: false };

describe('personRoles', () => {
  it.each<[string, Parameters<typeof personRoles>[0], string[], string[]]>([
    ['a plain member', active, [], ['member']],
    ['a builder who manages', { ...active, inBuilderRelations: true, hasDirectReports: true }, [], ['member', 'builder', 'manager']],
    ['group roles', active, ['builder-insights-analysts', 'builder-insights-admins'], ['member', 'analyst', 'admin']],
    ['unknown groups', active, ['builder-insights-superadmins', 'admins', 'BUILDER-INSIGHTS-ADMINS'], ['member']],
    ['prototype names as groups', active, ['__proto__', 'constructor', 'toString', 'hasOwnProperty'], ['member']],
    ['an inactive person, groups notwithstanding', { ...active, active: false }, ['builder-insights-admins'], []],
    ['a person missing from the org', undefined, ['builder-insights-admins'], []],
  ])('%s', (_case, facts, groups, expected) => {
    expect(personRoles(facts, groups)).toEqual(expected);
  });
});

describe('serviceRoles', () => {
  it('maps listed clients only', () => {
    expect(serviceRoles('dashboard-service')).toEqual(['dashboard']);
    expect(serviceRoles('dashboard-service2')).toEqual([]);
    expect(serviceRoles('__proto__')).toEqual([]);
  });
});
