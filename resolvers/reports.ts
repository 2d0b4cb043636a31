/** Reports: reading within policy, creating as a builder, and the lifecycle. Thin: arguments → policy → db. */
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { appendAuditEvent } from '../db/audit.ts';
import { DEFAULT_REPORT_ORDER, reportFilterSql, sortValueOf, type ReportOrderValues } from '../db/repositories/report-query.ts';
import { countReports, findReport, insertReport, listReports, type ReportRecord } from '../db/repositories/reports.ts';
import type { OrgUnitRow } from '../db/schema.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { reportScope } from '../policies/access.ts';
import { maskHiddenFields, type Masked } from '../policies/fields.ts';
import type { ReportSubject } from '../policies/subjects.ts';
import type { GatewayContext } from '../schema/context.ts';
import { OrgUnit, Person } from '../schema/types/org.ts';
import { ReportFilter, ReportOrder } from '../schema/types/report-query.ts';
import { CreateReportInput, Report, ReportConnection, ReportSensitivity, UpdateReportInput } from '../schema/types/report.ts';
import { auditActor } from './audit-actor.ts';
import { loaders } from './loaders.ts';
import { selectsField, selectsPath } from './lookahead.ts';
import { decodeCursor, edgeOf, encodeCursor, pageSize, whenSelected } from './paging.ts';
import { maskedPerson } from './people.ts';
import { runTransition } from './report-workflow.ts';

type ReportView = Masked<ReportSubject>;

/** A cursor names its order, so a cursor from another order is refused rather than misread. */
const reportCursor = z.object({ order: z.string(), value: z.string(), id: z.uuid() });
const orderName = (order: ReportOrderValues) => `${order.field}:${order.direction}`;

function view(context: GatewayContext, record: ReportRecord): ReportView {
  return maskHiddenFields(context.ability, 'Report', record, Report.prototype);
}

function orderOf(order: ReportOrder | null | undefined): ReportOrderValues {
  return order ? { field: order.field, direction: order.direction ?? 'DESC' } : DEFAULT_REPORT_ORDER;
}

@Resolver(() => Report)
export class ReportResolver {
  @Query(() => Report, { nullable: true, description: 'A report you may read; null when it is missing or hidden.' })
  async report(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<ReportView | null> {
    const record = await findReport(context.db, id, reportScope(context.ability, 'read', 'probe'));
    return record ? view(context, record) : null;
  }

  @Query(() => ReportConnection, { description: 'The reports you may read; newest first unless ordered otherwise.' })
  async reports(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Arg('filter', () => ReportFilter, { nullable: true, description: 'Conditions the reports must meet.' }) filter: ReportFilter | null,
    @Arg('orderBy', () => ReportOrder, { nullable: true, description: 'Sort order.' }) orderBy: ReportOrder | null,
    @Ctx() context: GatewayContext,
  ) {
    const size = pageSize(first);
    const order = orderOf(orderBy);
    const cursor = decodeCursor(after, reportCursor);
    if (cursor && cursor.order !== orderName(order)) throw new BadUserInputError('after belongs to a different orderBy');
    const where = reportFilterSql(filter);
    const page = await listReports(context.db, reportScope(context.ability, 'read', 'probe'), { first: size, filter: where, order, after: cursor });
    const totalCount = whenSelected(() => countReports(context.db, reportScope(context.ability, 'read'), where));
    const cursorOf = (row: ReportRecord) => encodeCursor({ order: orderName(order), value: sortValueOf(order, row), id: row.id });
    const edges = page.rows.map((row) => edgeOf(row, view(context, row), cursorOf));
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
        details: { fields: givenFields(input) },
      });
      return created;
    });
    if (!record) throw new ForbiddenError('Only builders create reports');
    return view(context, record);
  }

  @Mutation(() => Report, { description: 'Changes your DRAFT report.' })
  async updateReport(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateReportInput) input: UpdateReportInput,
    @Ctx() context: GatewayContext,
  ): Promise<ReportView> {
    if (givenFields(input).length === 0) throw new BadUserInputError('input names no field to change');
    const change = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null));
    return view(context, await runTransition(context, id, 'update', () => change));
  }

  @Mutation(() => Report, { description: 'Submits your DRAFT for review (DRAFT → IN_REVIEW).' })
  async submitReport(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<ReportView> {
    return view(context, await runTransition(context, id, 'submit', () => ({ status: 'IN_REVIEW', reviewNote: null })));
  }

  @Mutation(() => Report, { description: 'Publishes a report in review (a manager of its author; IN_REVIEW → PUBLISHED).' })
  async publishReport(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<ReportView> {
    return view(context, await runTransition(context, id, 'publish', () => ({ status: 'PUBLISHED', publishedAt: new Date() })));
  }

  @Mutation(() => Report, { description: 'Sends a report in review back to its author (IN_REVIEW → DRAFT), with the reason.' })
  async returnReport(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { description: 'Why, for the author (1–2,000 characters).' }) reason: string,
    @Ctx() context: GatewayContext,
  ): Promise<ReportView> {
    if (reason.trim().length === 0 || reason.length > 2000) throw new BadUserInputError('reason must be 1–2,000 characters');
    return view(context, await runTransition(context, id, 'return', () => ({ status: 'DRAFT', reviewNote: reason })));
  }

  @Mutation(() => Report, { description: 'Archives a published report (its author or a manager of its author).' })
  async archiveReport(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<ReportView> {
    return view(context, await runTransition(context, id, 'archive', () => ({ status: 'ARCHIVED' })));
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The author.' })
  async author(@Root() report: ReportView, @Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo) {
    if (typeof report.authorId !== 'string') return null;
    const person = await authorLoader(context, info).load(report.authorId);
    return person ? maskedPerson(context, person) : null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The org unit it belongs to (its author’s when created).' })
  async orgUnit(@Root() report: ReportView, @Ctx() context: GatewayContext): Promise<OrgUnitRow | null> {
    if (typeof report.orgUnitId !== 'string') return null;
    return (await loaders(context).orgUnits.load(report.orgUnitId)) ?? null;
  }
}

/** The loader that fetches, with the authors, the next levels the response asks for. */
function authorLoader(context: GatewayContext, info: GraphQLResolveInfo) {
  const { people, peopleAndManagers, peopleManagersAndUnits } = loaders(context);
  if (selectsPath(info, ['manager', 'orgUnit'])) return peopleManagersAndUnits;
  return selectsField(info, 'manager') ? peopleAndManagers : people;
}

/** Names of the input fields a client set, for the audit trail (never their values). */
function givenFields(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key]) => key)
    .sort();
}
