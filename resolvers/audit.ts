/** auditEvents: the trail, for auditors and admins (policy decides; others see no rows). */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import { auditFilterSql, countAuditEvents, listAuditEvents } from '../db/repositories/audit-events.ts';
import { auditEventScope } from '../policies/access.ts';
import type { GatewayContext } from '../schema/context.ts';
import { AuditEventConnection, AuditFilter } from '../schema/types/audit.ts';
import { decodeCursor, edgeOf, encodeCursor, pageSize, whenSelected } from './paging.ts';

const auditCursor = z.object({ id: z.number().int().positive() });
const auditCursorOf = (row: { readonly id: number }) => encodeCursor({ id: row.id });

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'Audit events, newest first (auditors and admins).' })
  async auditEvents(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Arg('filter', () => AuditFilter, { nullable: true, description: 'Conditions.' }) filter: AuditFilter | null,
    @Ctx() context: GatewayContext,
  ) {
    const size = pageSize(first);
    const scope = auditEventScope(context.ability);
    const where = auditFilterSql(filter);
    const page = await listAuditEvents(context.db, scope, { first: size, afterId: decodeCursor(after, auditCursor)?.id, filter: where });
    const edges = page.rows.map((row) => edgeOf(row, row, auditCursorOf));
    return {
      edges,
      totalCount: whenSelected(() => countAuditEvents(context.db, scope, where)),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}
