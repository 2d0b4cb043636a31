import { Field, ObjectType, Query, Resolver } from 'type-graphql';

@ObjectType({ description: 'The gateway serving this API.' })
export class GatewayInfo {
  @Field(() => String, { description: 'Version of the gateway build.' })
  version!: string;
}

/**
 * A placeholder until the report, org and audit resolvers land (they need identity first):
 * it gives the schema a root field without exposing any org or report data.
 */
@Resolver()
export class GatewayResolver {
  @Query(() => GatewayInfo, { description: 'About the gateway itself.' })
  gateway(): GatewayInfo {
    return { version: GATEWAY_VERSION };
  }
}

export const GATEWAY_VERSION = '0.1.0';
