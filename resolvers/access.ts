/**
 * explainAccess (DESIGN §4): about yourself for everyone, about others for auditors and admins.
 * A subject hidden from the caller is explained exactly like a missing one.
 */
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Principal } from '../auth/principal.ts';
import { findPeopleByIds } from '../db/repositories/people.ts';
import { findReport } from '../db/repositories/reports.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { findPersonFacts } from '../org/directory.ts';
import { asSubject, personScope, reportScope } from '../policies/access.ts';
import { explainDecision, roleSources, type Decision } from '../policies/explain.ts';
import { buildAbility, type AppAbility } from '../policies/index.ts';
import { viewerOf } from '../policies/principal.ts';
import { ACTIONS, type Action, type SubjectType } from '../policies/subjects.ts';
import { policyVersion } from '../policies/version.ts';
import type { GatewayContext } from '../schema/context.ts';
import { AccessExplanation } from '../schema/types/access.ts';

const SUBJECT_TYPES: readonly SubjectType[] = [
  'Report', 'Person', 'OrgUnit', 'AuditEvent', 'RoleException', 'OrgImportRequest',
  'AccessReview', 'UsageStats', 'Readiness', 'OrgSnapshot', 'BreakGlass',
];
const NOT_VISIBLE = 'no such subject is visible to you';

interface Target {
  readonly principal: Principal | undefined;
  readonly ability: AppAbility;
  readonly facts: string[];
}

@Resolver()
export class AccessResolver {
  @Query(() => AccessExplanation, { description: 'Whether a person (default: you) may take an action on a subject, and why.' })
  async explainAccess(
    @Arg('action', () => String, { description: 'read, aggregate, create, update, submit, publish, return, archive, …' }) action: string,
    @Arg('subjectType', () => String, { description: 'Report, Person, OrgUnit, AuditEvent, …' }) subjectType: string,
    @Arg('subjectId', () => ID, { nullable: true, description: 'A particular subject.' }) subjectId: string | null,
    @Arg('personId', () => ID, { nullable: true, description: 'Whose access; default you (others: auditors and admins).' })
    personId: string | null,
    @Ctx() context: GatewayContext,
  ): Promise<AccessExplanation> {
    if (!(ACTIONS as readonly string[]).includes(action)) throw new BadUserInputError(`unknown action ${JSON.stringify(action)}`);
    if (!(SUBJECT_TYPES as readonly string[]).includes(subjectType)) {
      throw new BadUserInputError(`unknown subject type ${JSON.stringify(subjectType)}`);
    }
    // An omitted optional argument arrives as undefined, an explicit null as null.
    const target = await targetOf(context, personId ?? null);
    const decision = await decide(context, target.ability, action as Action, subjectType as SubjectType, subjectId ?? null);
    const person = target.principal?.kind === 'person' ? target.principal.person : undefined;
    return {
      ...decision.decision,
      action,
      subjectType,
      subjectId: subjectId ?? null,
      personId: person?.id ?? null,
      roles: target.principal?.kind === 'person' ? roleSources(person, target.principal.token.groups) : [],
      facts: [...target.facts, ...decision.facts],
      policyVersion: policyVersion(),
    };
  }
}

async function targetOf(context: GatewayContext, personId: string | null): Promise<Target> {
  const self = context.principal.kind === 'person' ? context.principal.person.id : undefined;
  if (personId === null || personId === self) {
    return { principal: context.principal, ability: context.ability, facts: [] };
  }
  if (!context.ability.can('explain', asSubject('Person', { id: personId } as never))) {
    throw new ForbiddenError('Only auditors and admins may explain the access of others');
  }
  const person = await findPersonFacts(context.db, { id: personId });
  if (!person) return { principal: undefined, ability: buildAbility({ kind: 'nobody' }), facts: ['no such person in the org source'] };
  // Okta groups live in tokens, not in the org source: another person's are not known here.
  const principal: Principal = { kind: 'person', token: { ...context.token, groups: [] }, person };
  return {
    principal,
    ability: buildAbility(viewerOf(principal)),
    facts: ['explained from the org source without Okta groups, which only their own token carries'],
  };
}

async function decide(
  context: GatewayContext,
  ability: AppAbility,
  action: Action,
  subjectType: SubjectType,
  subjectId: string | null,
): Promise<{ decision: Decision; facts: string[] }> {
  const hidden = { decision: { allowed: false, rule: null }, facts: [NOT_VISIBLE] };
  if (subjectId !== null && subjectType === 'Report') {
    const report = await findReport(context.db, subjectId, reportScope(context.ability, 'read', 'probe'));
    return report ? { decision: explainDecision(ability, action, 'Report', { type: 'Report', value: report }), facts: [] } : hidden;
  }
  if (subjectId !== null && subjectType === 'Person') {
    const [person] = await findPeopleByIds(context.db, [subjectId], personScope(context.ability));
    return person ? { decision: explainDecision(ability, action, 'Person', { type: 'Person', value: person }), facts: [] } : hidden;
  }
  if (subjectId !== null) return hidden;
  return { decision: explainDecision(ability, action, subjectType), facts: [] };
}
