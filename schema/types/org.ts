/** People and org units of the org source, as the directory shows them. */
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A unit of the org (division, department, team), from the org source.' })
export class OrgUnit {
  @Field(() => ID, { description: 'Org source id.' })
  id!: string;

  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Kind given by the org source, e.g. "builder-relations".' })
  kind!: string | null;

  @Field(() => Boolean, { description: 'This unit is, or is inside, Builder Relations.' })
  inBuilderRelations!: boolean;
}

@ObjectType({ description: 'A person of the org source. `email` is visible only to the person, their managers, auditors and admins.' })
export class Person {
  @Field(() => ID, { description: 'Org source id.' })
  id!: string;

  @Field(() => String, { description: 'Display name.' })
  displayName!: string;

  @Field(() => String, { nullable: true, description: 'Work email; null with a FORBIDDEN error when hidden from you.' })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'Job title.' })
  title!: string | null;

  @Field(() => Boolean, { description: 'False once the org source marks them inactive or stops listing them.' })
  active!: boolean;
}
