/** Builds the executable schema from the type-graphql resolver classes. */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccessResolver } from '../resolvers/access.ts';
import { OrgUnitResolver, PersonResolver } from '../resolvers/org.ts';
import { ReportStatsResolver } from '../resolvers/report-stats.ts';
import { ReportResolver } from '../resolvers/reports.ts';
import { ViewerResolver } from '../resolvers/viewer.ts';

/** Every resolver class, listed explicitly so a test can see what the API is made of. */
export const resolverClasses = [ViewerResolver, ReportResolver, ReportStatsResolver, AccessResolver] as const;

export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: resolverClasses, validate: true, emitSchemaFile: false });
}
