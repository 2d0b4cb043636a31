/**
 * Roles of a principal (DESIGN §4). Org facts give member, builder and manager; Okta groups give
 * analyst, auditor and admin, and so do approved, unexpired role exceptions (DESIGN §4, "every
 * exception needs a second admin's approval"). Which group names (or Okta group ids) count is set
 * here.
 */

export const PERSON_ROLES = ['member', 'builder', 'manager', 'analyst', 'auditor', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Roles a group grants. An Okta group may be named by its name or by its id (00g…). */
export const GROUP_ROLES: Readonly<Record<string, PersonRole>> = Object.freeze({
  'builder-insights-analysts': 'analyst',
  'builder-insights-auditors': 'auditor',
  'builder-insights-admins': 'admin',
});

/** The roles an exception may grant: group roles only; org facts come from the org source alone. */
export const GRANTABLE_ROLES = ['analyst', 'auditor', 'admin'] as const satisfies readonly PersonRole[];
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export function isGrantableRole(role: string): role is GrantableRole {
  return (GRANTABLE_ROLES as readonly string[]).includes(role);
}

/** What the org source says about an active person, as far as roles go. */
export interface OrgFacts {
  readonly active: boolean;
  readonly inBuilderRelations: boolean;
  readonly hasDirectReports: boolean;
}

/**
 * The roles of a person. Someone missing from the org source or inactive there gets none, their
 * groups and exceptions notwithstanding: deprovisioning in the org source takes effect at once.
 * `exceptions` are those in force (the caller's query decides that with the database clock); a
 * role outside GRANTABLE_ROLES in one grants nothing.
 */
export function personRoles(
  facts: OrgFacts | undefined,
  groups: readonly string[],
  exceptions: readonly { readonly role: string }[] = [],
): PersonRole[] {
  if (!facts?.active) return [];
  const roles = new Set<PersonRole>(['member']);
  if (facts.inBuilderRelations) roles.add('builder');
  if (facts.hasDirectReports) roles.add('manager');
  for (const group of groups) {
    // Own-property lookup only: a group named "__proto__" or "constructor" grants nothing.
    if (Object.hasOwn(GROUP_ROLES, group)) roles.add(GROUP_ROLES[group] as PersonRole);
  }
  for (const exception of exceptions) {
    if (isGrantableRole(exception.role)) roles.add(exception.role);
  }
  return PERSON_ROLES.filter((role) => roles.has(role));
}
