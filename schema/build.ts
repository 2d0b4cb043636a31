/** Builds the executable schema from the type-graphql resolver classes. */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccessResolver } from '../resolvers/access.ts';
import { AccessReviewResolver } from '../resolvers/access-review.ts';
import { AuditResolver } from '../resolvers/audit.ts';
import { BreakGlassResolver } from '../resolvers/break-glass.ts';
import { OperationsResolver } from '../resolvers/operations.ts';
import { OrgImportResolver } from '../resolvers/org-imports.ts';
import { OrgUnitResolver, PersonResolver } from '../resolvers/org.ts';
import { ReportStatsResolver } from '../resolvers/report-stats.ts';
import { ReportResolver } from '../resolvers/reports.ts';
import { RoleExceptionResolver } from '../resolvers/role-exceptions.ts';
import { ViewerResolver } from '../resolvers/viewer.ts';

/** Every resolver class, listed explicitly so a test can see what the API is made of. */
export const resolverClasses = [ViewerResolver, ReportResolver, ReportStatsResolver, PersonResolver, OrgUnitResolver, AccessResolver, AuditResolver, OperationsResolver, BreakGlassResolver, RoleExceptionResolver, OrgImportResolver, AccessReviewResolver] as const;

export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: resolverClasses, validate: true, emitSchemaFile: false });
}
