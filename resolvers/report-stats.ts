/** Dashboard aggregates: grouped counts and trends over the reports you may count. */
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { reportFilterSql } from '../db/repositories/report-query.ts';
import { reportBuckets, reportTrend, type BucketRow } from '../db/repositories/report-stats.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { mayBreakDownByPerson, minimumBucketSize, reportCountAccess, reportScope } from '../policies/access.ts';
import type { GatewayContext } from '../schema/context.ts';
import { DateTimeScalar } from '../schema/scalars.ts';
import { ReportFilter } from '../schema/types/report-query.ts';
import { ReportBucket, ReportDimension, TrendInterval, TrendPoint } from '../schema/types/report-stats.ts';
import type { ReportSensitivity, ReportStatus } from '../schema/types/report.ts';

const MAX_TREND_POINTS = 1000;
const INTERVAL_MS: Record<TrendInterval, number> = { DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 28 * 86_400_000 };

function checkPersonBreakdown(context: GatewayContext, byAuthor: boolean): void {
  if (byAuthor && !mayBreakDownByPerson(context.ability)) {
    throw new ForbiddenError('Counts by author need access to people');
  }
}

function toBucket(row: BucketRow): ReportBucket {
  return {
    status: row.status as ReportStatus | null,
    sensitivity: row.sensitivity as ReportSensitivity | null,
    orgUnit: row.orgUnitId === null ? null : { id: row.orgUnitId, name: row.orgUnitName },
    author: row.authorId === null ? null : { id: row.authorId, displayName: row.authorName },
    week: row.week,
    count: row.count,
    suppressed: false,
  };
}

const SUPPRESSED_MARKER = { status: null, sensitivity: null, orgUnit: null, author: null, week: null };

@Resolver()
export class ReportStatsResolver {
  @Query(() => [ReportBucket], { description: 'Counts of the reports you may count, grouped by the dimensions given.' })
  async reportStats(
    @Arg('groupBy', () => [ReportDimension], { description: 'Dimensions to group by (none: one total).' }) groupBy: ReportDimension[],
    @Arg('filter', () => ReportFilter, { nullable: true, description: 'Conditions the reports must meet.' }) filter: ReportFilter | null,
    @Arg('minBucketSize', () => Int, {
      nullable: true,
      description: 'Withhold buckets smaller than this (dashboards: at least 5, always).',
    })
    minBucketSize: number | null,
    @Ctx() context: GatewayContext,
  ): Promise<ReportBucket[]> {
    if (minBucketSize !== null && minBucketSize !== undefined && minBucketSize < 0) throw new BadUserInputError('minBucketSize must not be negative');
    checkPersonBreakdown(context, groupBy.includes(ReportDimension.AUTHOR) || Boolean(filter?.authorId));
    const maxBuckets = context.limits.reportStatsMaxBuckets;
    const rows = await reportBuckets(context.db, reportCountAccess(context.ability, context.viewer), groupBy, filter, { maxBuckets });
    if (rows.length > maxBuckets) {
      throw new BadUserInputError(
        `this grouping has more than ${maxBuckets} buckets; narrow it with a filter (orgUnitId, createdFrom and createdTo, status) or fewer dimensions`,
      );
    }
    const floor = minimumBucketSize(context.viewer, minBucketSize);
    const shown = rows.filter((row) => row.count >= floor).map(toBucket);
    const withheld = rows.length - shown.length;
    return withheld > 0 ? [...shown, { ...SUPPRESSED_MARKER, count: withheld, suppressed: true }] : shown;
  }

  @Query(() => [TrendPoint], { description: 'Reports created per interval in [from, to), every interval present.' })
  async reportTrend(
    @Arg('interval', () => TrendInterval, { description: 'Bucket width.' }) interval: TrendInterval,
    @Arg('from', () => DateTimeScalar, { description: 'Start (inclusive).' }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: 'End (exclusive).' }) to: Date,
    @Arg('filter', () => ReportFilter, { nullable: true, description: 'Conditions the reports must meet.' }) filter: ReportFilter | null,
    @Arg('minBucketSize', () => Int, { nullable: true, description: 'Withhold counts between 1 and this − 1.' }) minBucketSize: number | null,
    @Ctx() context: GatewayContext,
  ): Promise<TrendPoint[]> {
    if (to <= from) throw new BadUserInputError('to must be after from');
    if ((to.getTime() - from.getTime()) / INTERVAL_MS[interval] > MAX_TREND_POINTS) {
      throw new BadUserInputError(`at most ${MAX_TREND_POINTS} intervals per trend`);
    }
    checkPersonBreakdown(context, Boolean(filter?.authorId));
    const points = await reportTrend(context.db, reportScope(context.ability, 'aggregate'), interval, { from, to }, reportFilterSql(filter));
    const floor = minimumBucketSize(context.viewer, minBucketSize);
    return points.map((point) =>
      point.count > 0 && point.count < floor ? { start: point.start, count: null, suppressed: true } : { ...point, suppressed: false },
    );
  }
}
