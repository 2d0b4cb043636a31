/** `me`: who the gateway thinks you are, and what you may do. */
import { packRules } from '@casl/ability/extra';
import { Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { policyVersion } from '../policies/version.ts';
import type { GatewayContext } from '../schema/context.ts';
import { DateTimeScalar, JSONScalar } from '../schema/scalars.ts';
import { Person } from '../schema/types/org.ts';

export enum PrincipalKind {
  PERSON = 'PERSON',
  SERVICE = 'SERVICE',
  NOBODY = 'NOBODY',
}
registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'PERSON: a person of the org source; SERVICE: a listed client; NOBODY: a token that maps to neither.',
});

@ObjectType({ description: 'The caller: identity from the token, roles from the org source and groups.' })
export class Viewer {
  @Field(() => PrincipalKind, { description: 'What kind of caller this is.' })
  kind!: PrincipalKind;

  @Field(() => Person, { nullable: true, description: 'Your person record; null for a service or an unknown person.' })
  person!: Person | null;

  @Field(() => String, { nullable: true, description: 'The OAuth client of the token (`cid`).' })
  clientId!: string | null;

  @Field(() => [String], { description: 'Your roles. Empty when the org source lists you as inactive or not at all.' })
  roles!: string[];

  @Field(() => [String], { description: 'OAuth scopes of the token.' })
  scopes!: string[];

  @Field(() => DateTimeScalar, { description: 'When the token expires.' })
  tokenExpiresAt!: Date;

  @Field(() => String, { description: 'Version of the policy that decided your access.' })
  policyVersion!: string;

  @Field(() => JSONScalar, { description: 'Your CASL rules, packed (`unpackRules` + `createMongoAbility` rebuild them).' })
  permissions!: unknown;
}

@Resolver()
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who you are and what you may do. Answers even when you have no roles.' })
  me(@Ctx() { principal, viewer, token, ability }: GatewayContext): Viewer {
    const person = principal.kind === 'person' ? principal.person : undefined;
    return {
      kind: viewer.kind === 'service' ? PrincipalKind.SERVICE : person ? PrincipalKind.PERSON : PrincipalKind.NOBODY,
      // Your own record, whatever your status: `me` is how a deprovisioned person learns why.
      person: person ? { id: person.id, displayName: person.displayName, email: person.email, title: person.title, active: person.active } : null,
      clientId: token.clientId ?? null,
      roles: viewer.kind === 'nobody' ? [] : [...viewer.roles],
      scopes: [...token.scopes],
      tokenExpiresAt: token.expiresAt,
      policyVersion: policyVersion(),
      permissions: packRules(ability.rules),
    };
  }
}
