/** `me`: who the gateway thinks you are, and what you may do. */
import { packRules } from '@casl/ability/extra';
import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { countReportingLine, listReportingLine, type LineMember } from '../db/repositories/people.ts';
import { personScope } from '../policies/access.ts';
import { policyVersion } from '../policies/version.ts';
import type { GatewayContext } from '../schema/context.ts';
import type { ConnectionShape } from '../schema/types/connection.ts';
import { DateTimeScalar, JSONScalar } from '../schema/scalars.ts';
import { Person, PersonConnection } from '../schema/types/org.ts';
import { decodeCursor, encodeCursor, pageSize } from './paging.ts';
import { personConnection, type PersonView } from './people.ts';

export enum PrincipalKind {
  PERSON = 'PERSON',
  SERVICE = 'SERVICE',
  NOBODY = 'NOBODY',
}
registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'PERSON: a person of the org source; SERVICE: a listed client; NOBODY: a token that maps to neither.',
});

@ObjectType({ simpleResolvers: true, description: 'The caller: identity from the token, roles from the org source and groups.' })
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

  /** Internal, not in the schema: whose reporting line `scope` lists (null for a service or nobody). */
  personId!: string | null;
}

const lineCursor = z.strictObject({ d: z.number().int().min(0).max(32_767), n: z.string().max(1000), id: z.string().max(1000) });

function lineCursorOf(member: LineMember): string {
  return encodeCursor({ d: member.depth, n: member.displayName, id: member.id });
}

const EMPTY: ConnectionShape<PersonView> = { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } };

@Resolver(() => Viewer)
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
      personId: person?.id ?? null,
    };
  }

  @FieldResolver(() => PersonConnection, {
    description: 'The people in your reporting line (below you, any depth), nearest first, then by display name. Empty for a service.',
  })
  async scope(
    @Root() me: Viewer,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Ctx() context: GatewayContext,
  ): Promise<ConnectionShape<PersonView>> {
    const size = pageSize(first);
    const position = decodeCursor(after, lineCursor);
    if (me.personId === null) return EMPTY;
    // Authorization is the person scope; whose line it is, is the query.
    const scope = personScope(context.ability);
    const query = { first: size, after: position && { depth: position.d, displayName: position.n, id: position.id } };
    const [page, totalCount] = await Promise.all([
      listReportingLine(context.db, scope, me.personId, query),
      countReportingLine(context.db, scope, me.personId),
    ]);
    return personConnection(context, page, totalCount, lineCursorOf);
  }
}
