/** Answers to "who can see what, and why" (explainAccess). */
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'A role and the fact it comes from.' })
export class RoleSource {
  @Field(() => String, { description: 'The role.' })
  role!: string;

  @Field(() => String, { description: 'Where it comes from: an org fact or an Okta group.' })
  source!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Whether a person may take an action on a subject, and why.' })
export class AccessExplanation {
  @Field(() => Boolean, { description: 'The decision.' })
  allowed!: boolean;

  @Field(() => String, { description: 'The action asked about, e.g. read, publish.' })
  action!: string;

  @Field(() => String, { description: 'The subject type asked about, e.g. Report.' })
  subjectType!: string;

  @Field(() => ID, { nullable: true, description: 'The subject asked about, when one was named.' })
  subjectId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Whose access is explained (null: a person unknown to the org source).' })
  personId!: string | null;

  @Field(() => String, { nullable: true, description: 'The rule that decided; null when none applies (denied by default).' })
  rule!: string | null;

  @Field(() => [RoleSource], { description: 'The roles the decision was made with, and their sources.' })
  roles!: RoleSource[];

  @Field(() => [String], { description: 'Other facts that shaped the answer.' })
  facts!: string[];

  @Field(() => String, { description: 'Version of the policy that decided.' })
  policyVersion!: string;
}
