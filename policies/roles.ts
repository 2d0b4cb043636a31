/**
 * Roles of a principal (DESIGN §4). Org facts give member, builder and manager; Okta groups give
 * analyst, auditor and admin. Which group names (or Okta group ids) count is set here.
 */

export const PERSON_ROLES = ['member', 'builder', 'manager', 'analyst', 'auditor', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Roles a group grants. An Okta group may be named by its name or by its id (00g…). */
export const GROUP_ROLES: Readonly<Record<string, PersonRole>> = Object.freeze({
  'builder-insights-analysts': 'analyst',
  'builder-insights-auditors': 'auditor',
  'builder-insights-admins': 'admin',
});

/** What the org source says about an active person, as far as roles go. */
export interface OrgFacts {
  readonly active: boolean;
  readonly inBuilderRelations: boolean;
  readonly hasDirectReports: boolean;
}

/**
 * The roles of a person. Someone missing from the org source or inactive there gets none, their
 * groups notwithstanding: deprovisioning in the org source takes effect at once.
 */
export function personRoles(facts: OrgFacts | undefined, groups: readonly string[]): PersonRole[] {
  if (!facts?.active) return [];
  const roles = new Set<PersonRole>(['member']);
  if (facts.inBuilderRelations) roles.add('builder');
  if (facts.hasDirectReports) roles.add('manager');
  for (const group of groups) {
    // Own-property lookup only: a group named "__proto__" or "constructor" grants nothing.
    if (Object.hasOwn(GROUP_ROLES, group)) roles.add(GROUP_ROLES[group] as PersonRole);
  }
  return PERSON_ROLES.filter((role) => roles.has(role));
}
