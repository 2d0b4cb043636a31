/** People and org units of the org source, as the directory shows them. */
import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionOf } from './connection.ts';

@ObjectType({ simpleResolvers: true, description: 'A unit of the org (division, department, team), from the org source. Rebuild the tree with `parent` or `children`.' })
export class OrgUnit {
  @Field(() => ID, { description: 'Org source id.' })
  id!: string;

  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Kind given by the org source, e.g. "builder-relations".' })
  kind!: string | null;

  @Field(() => Boolean, { description: 'This unit is, or is inside, Builder Relations.' })
  inBuilderRelations!: boolean;

  @Field(() => Boolean, { description: 'False once the newest org snapshot no longer lists the unit (units are never deleted).' })
  active!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'A person of the org source. `email` is visible only to the person, their managers, auditors and admins.' })
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

export const PersonConnection = connectionOf(Person, 'Person');

@InputType({ description: 'Narrows the people directory. All given conditions must hold.' })
export class PersonFilter {
  @Field(() => ID, { nullable: true, description: 'People whose org unit is this one.' })
  @IsOptional()
  orgUnitId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'With orgUnitId: people of its sub-units too, at any depth.' })
  @IsOptional()
  includeSubUnits?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'The direct reports of this person.' })
  @IsOptional()
  managerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or only inactive (false) people; both when omitted.' })
  @IsOptional()
  active?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the display name (at most 200 characters).' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;
}
