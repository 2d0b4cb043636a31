/**
 * Why a viewer may or may not do something (DESIGN §4, explainAccess): the decision, the rule
 * that made it (each rule carries its reason, `.because(…)` in the rule files), and the facts
 * the viewer's roles come from.
 */
import type { PersonFacts } from '../org/directory.ts';
import { asSubject } from './access.ts';
import { GROUP_ROLES, isGrantableRole, personRoles } from './roles.ts';
import type { Action, AppAbility, SubjectShapes, SubjectType } from './subjects.ts';

export interface RoleSource {
  readonly role: string;
  readonly source: string;
}

export interface Decision {
  readonly allowed: boolean;
  /** The reason of the rule that decided; null when no rule applies (denied by default). */
  readonly rule: string | null;
}

export function explainDecision<K extends keyof SubjectShapes>(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectType,
  object?: { type: K; value: SubjectShapes[K] },
): Decision {
  const target = object ? asSubject(object.type, object.value) : subjectType;
  const allowed = ability.can(action, target);
  const rule = ability.relevantRuleFor(action, target);
  if (!rule) return { allowed, rule: null };
  return { allowed, rule: rule.reason ?? (rule.inverted ? 'an explicit denial' : 'an unconditional rule') };
}

/** Each role of a person with the fact it comes from (a role may have several). */
export function roleSources(person: PersonFacts | undefined, groups: readonly string[]): RoleSource[] {
  if (!person) return [];
  if (!person.active) return [];
  const sources: RoleSource[] = [{ role: 'member', source: 'active in the org source' }];
  if (person.inBuilderRelations) sources.push({ role: 'builder', source: `org unit ${person.orgUnitId} is in Builder Relations` });
  if (person.hasDirectReports) sources.push({ role: 'manager', source: 'has direct reports in the org source' });
  for (const group of groups) {
    if (Object.hasOwn(GROUP_ROLES, group)) sources.push({ role: GROUP_ROLES[group] as string, source: `Okta group ${group}` });
  }
  for (const exception of person.exceptions) {
    if (!isGrantableRole(exception.role)) continue;
    sources.push({
      role: exception.role,
      source: `exception ${exception.id}, approved by ${exception.approvedBy}, until ${exception.expiresAt.toISOString()}`,
    });
  }
  if (person.breakGlassSessionId !== null && personRoles(person, groups, person.exceptions).includes('admin')) {
    sources.push({ role: 'break-glass', source: `break-glass session ${person.breakGlassSessionId} (DESIGN §4 rule 5)` });
  }
  return sources;
}
