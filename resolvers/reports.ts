/** Reports: reading within policy, creating as a builder. Thin: arguments → policy → db. */
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { appendAuditEvent } from '../db/audit.ts';
import { countReports, findReport, insertReport, listReports, type ReportRecord } from '../db/repositories/reports.ts';
import type { OrgUnitRow } from '../db/schema.ts';
import { ForbiddenError } from '../errors.ts';
import { reportScope } from '../policies/access.ts';
import { maskHiddenFields, type Masked } from '../policies/fields.ts';
import type { ReportSubject } from '../policies/subjects.ts';
import type { GatewayContext } from '../schema/context.ts';
import { OrgUnit, Person } from '../schema/types/org.ts';
import { CreateReportInput, Report, ReportConnection, ReportSensitivity } from '../schema/types/report.ts';
import { auditActor } from './audit-actor.ts';
import { loaders } from './loaders.ts';
import { decodeCursor, encodeCursor, pageSize } from './paging.ts';
import { maskedPerson } from './people.ts';

type ReportView = Masked<ReportSubject>;

const reportCursor = z.object({ createdAt: z.iso.datetime().transform((value) => new Date(value)), id: z.uuid() });

function view(context: GatewayContext, record: ReportRecord): ReportView {
  return maskHiddenFields(context.ability, 'Report', record);
}

@Resolver(() => Report)
export class ReportResolver {
  @Query(() => Report, { nullable: true, description: 'A report you may read; null when it is missing or hidden.' })
  async report(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<ReportView | null> {
    const record = await findReport(context.db, id, reportScope(context.ability, 'read'));
    return record ? view(context, record) : null;
  }

  @Query(() => ReportConnection, { description: 'The reports you may read, newest first.' })
  async reports(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Ctx() context: GatewayContext,
  ) {
    const size = pageSize(first);
    const scope = reportScope(context.ability, 'read');
    const [page, totalCount] = await Promise.all([
      listReports(context.db, scope, { first: size, after: decodeCursor(after, reportCursor) }),
      countReports(context.db, scope),
    ]);
    const edges = page.rows.map((row) => ({
      cursor: encodeCursor({ createdAt: row.createdAt.toISOString(), id: row.id }),
      node: view(context, row),
    }));
    return { edges, totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Mutation(() => Report, { description: 'Creates a DRAFT report authored by you, in your org unit (builders only).' })
  async createReport(
    @Arg('input', () => CreateReportInput) input: CreateReportInput,
    @Ctx() context: GatewayContext,
  ): Promise<ReportView> {
    const { viewer, ability } = context;
    const record = await context.db.transaction(async (tx) => {
      if (viewer.kind !== 'person' || !ability.can('create', 'Report')) {
        await appendAuditEvent(tx, { ...auditActor(context), action: 'report.create', subjectType: 'Report', decision: 'DENY', reason: 'not a builder' });
        return undefined;
      }
      const created = await insertReport(tx, {
        title: input.title,
        summary: input.summary ?? '',
        body: input.body ?? '',
        sensitivity: input.sensitivity ?? ReportSensitivity.INTERNAL,
        tags: input.tags ?? [],
        customerAccounts: input.customerAccounts ?? [],
        authorId: viewer.personId,
        orgUnitId: viewer.orgUnitId,
      });
      await appendAuditEvent(tx, {
        ...auditActor(context),
        action: 'report.create',
        subjectType: 'Report',
        subjectId: created.id,
        decision: 'ALLOW',
        details: { fields: Object.keys(input).filter((key) => input[key as keyof CreateReportInput] !== undefined).sort() },
      });
      return created;
    });
    if (!record) throw new ForbiddenError('Only builders create reports');
    return view(context, record);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The author.' })
  async author(@Root() report: ReportView, @Ctx() context: GatewayContext) {
    if (typeof report.authorId !== 'string') return null;
    const person = await loaders(context).people.load(report.authorId);
    return person ? maskedPerson(context, person) : null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The org unit it belongs to (its author’s when created).' })
  async orgUnit(@Root() report: ReportView, @Ctx() context: GatewayContext): Promise<OrgUnitRow | null> {
    if (typeof report.orgUnitId !== 'string') return null;
    return (await loaders(context).orgUnits.load(report.orgUnitId)) ?? null;
  }
}
