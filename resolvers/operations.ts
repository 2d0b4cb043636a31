/**
 * Operations queries (DESIGN §5, §7): `readiness`, the rollout gate (admins), and `usageStats`,
 * the usage rollups for adoption dashboards (analysts and admins). Both are decided by policy
 * (`read` on the Readiness and UsageStats operation subjects); anyone else gets FORBIDDEN.
 */
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { USAGE_DIMENSIONS, usageGroups, type UsageDimensionName, type UsageGroup } from '../db/repositories/usage.ts';
import { BadUserInputError, ForbiddenError, ServiceUnavailableError } from '../errors.ts';
import type { GatewayContext } from '../schema/context.ts';
import { DateTimeScalar } from '../schema/scalars.ts';
import {
  ReadinessArea,
  ReadinessReport,
  ReadinessStatus,
  UsageBucket,
  UsageDimension,
} from '../schema/types/operations.ts';
import { operationsRuntime } from '../telemetry/operations-runtime.ts';
import { estimateQuantile } from '../telemetry/usage-histogram.ts';

/** The longest range one usageStats call may cover. */
export const MAX_USAGE_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

@Resolver()
export class OperationsResolver {
  @Query(() => ReadinessReport, {
    description: 'The rollout gate, evaluated now: identity, org truth, runtime, telemetry and audit, each with its reason (admins).',
  })
  async readiness(@Ctx() context: GatewayContext): Promise<ReadinessReport> {
    if (!context.ability.can('read', 'Readiness')) throw new ForbiddenError('Only admins may evaluate the rollout gate');
    const runtime = operationsRuntime();
    if (!runtime) throw new ServiceUnavailableError('The rollout gate is not available in this process');
    const report = await runtime.evaluateReadiness();
    return {
      ready: report.ready,
      evaluatedAt: report.evaluatedAt,
      areas: report.areas.map((area) => ({
        area: ReadinessArea[area.area],
        status: ReadinessStatus[area.status],
        reason: area.reason,
        checks: area.checks.map((check) => ({ name: check.name, status: ReadinessStatus[check.status], reason: check.reason })),
      })),
    };
  }

  @Query(() => [UsageBucket], {
    description:
      'Requests per group over the UTC days that overlap [from, to), with error counts and latency percentiles (analysts and admins). Without groupBy: one total. The last minute or so may not be written yet.',
  })
  async usageStats(
    @Arg('from', () => DateTimeScalar, { description: 'Start (inclusive); its whole UTC day counts.' }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: 'End (exclusive); a day counts when it starts before this.' }) to: Date,
    @Arg('groupBy', () => [UsageDimension], { nullable: true, description: 'Dimensions to group by; none: one total.' })
    groupBy: UsageDimension[] | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<UsageBucket[]> {
    if (!context.ability.can('read', 'UsageStats')) throw new ForbiddenError('Only analysts and admins may read usage statistics');
    if (!(from.getTime() < to.getTime())) throw new BadUserInputError('from must be before to');
    const range = dayRange(from, to);
    if ((Date.parse(range.endDay) - Date.parse(range.firstDay)) / DAY_MS > MAX_USAGE_RANGE_DAYS) {
      throw new BadUserInputError(`the range may cover at most ${MAX_USAGE_RANGE_DAYS} days`);
    }
    const dimensions = USAGE_DIMENSIONS.filter((name: UsageDimensionName) => (groupBy ?? []).includes(UsageDimension[name]));
    return (await usageGroups(context.db, range, dimensions)).map(toBucket);
  }
}

/** The UTC days overlapping [from, to): the first one, and the day after the last one. */
function dayRange(from: Date, to: Date): { firstDay: string; endDay: string } {
  const firstDay = from.toISOString().slice(0, 10);
  const startOfToDay = Date.parse(to.toISOString().slice(0, 10));
  const endDay = new Date(startOfToDay === to.getTime() ? startOfToDay : startOfToDay + DAY_MS).toISOString().slice(0, 10);
  return { firstDay, endDay };
}

const round = (value: number | undefined): number | null => (value === undefined ? null : Math.round(value * 1000) / 1000);

function toBucket(group: UsageGroup): UsageBucket {
  const quantile = (q: number) => round(estimateQuantile(group.latencyBuckets, q, group.durationMaxMs));
  const any = group.requestCount > 0;
  return {
    day: group.day === null ? null : new Date(`${group.day}T00:00:00.000Z`),
    operation: group.operation,
    client: group.client,
    role: group.role,
    requests: group.requestCount,
    errors: group.errorCount,
    meanMs: any ? round(group.durationSumMs / group.requestCount) : null,
    p50Ms: quantile(0.5),
    p90Ms: quantile(0.9),
    p95Ms: quantile(0.95),
    p99Ms: quantile(0.99),
    maxMs: any ? round(group.durationMaxMs) : null,
  };
}
