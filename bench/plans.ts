/**
 * Generic against custom plans, for every named statement the gateway sent and every
 * principal's values: the evidence behind DATABASE_PLAN_CACHE_MODE.
 *
 * Under `auto` PostgreSQL plans a prepared statement with its values five times, then may
 * keep one generic plan for every later value. A generic plan that suits a leaf's values and
 * ruins a VP's is the cliff this project has hit before (a VP's whole reporting line hashed
 * to check one report). `force_generic_plan` shows that plan's real cost for each principal's
 * values, so a statement whose generic plan is much slower than its custom one is named here,
 * in the same run, before `auto` could pick it in production.
 *
 * Each side runs on its own connection with the mode set at connect: the statement is prepared
 * once, executed once unmeasured (the generic plan is built then), then timed until a budget is
 * spent. The time is the round trip, planning included where the mode plans.
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { plannedPerExecution, type ReplayStatement } from './statements.ts';
import { WORKLOADS } from './workloads.ts';

export interface PlanComparison {
  /** Route key of the request (`W1/vp`) and the statement's position in it. */
  readonly key: string;
  readonly statement: number;
  readonly genericMs: number;
  readonly customMs: number;
}

/** A generic plan this much slower than the custom one, and by more than the floor, is a cliff. */
export const CLIFF_RATIO = 2;
const CLIFF_FLOOR_MS = 1;

export function isCliff(comparison: PlanComparison): boolean {
  return comparison.genericMs > CLIFF_RATIO * comparison.customMs && comparison.genericMs - comparison.customMs > CLIFF_FLOOR_MS;
}

type Mode = 'force_generic_plan' | 'force_custom_plan';

interface Options {
  /** Time spent timing one statement in one mode (at least three runs, at most `maxRuns`). */
  readonly budgetMs?: number;
  readonly maxRuns?: number;
}

/**
 * The gateway's reads among the captured requests: not W8's writes (replaying them would write),
 * nor the naive baselines (seconds each, and not what the gateway sends).
 */
function isGatewayRead(key: string): boolean {
  return WORKLOADS.some((workload) => workload.replayable && key.startsWith(`${workload.id}/`));
}

export async function comparePlans(
  databaseUrl: string,
  replays: Readonly<Record<string, readonly ReplayStatement[]>>,
  options: Options = {},
): Promise<PlanComparison[]> {
  const connect = (mode: Mode) =>
    postgres(databaseUrl, { max: 1, prepare: true, onnotice: () => {}, connection: { plan_cache_mode: mode, statement_timeout: 30_000 } });
  const generic = connect('force_generic_plan');
  const custom = connect('force_custom_plan');
  try {
    const comparisons: PlanComparison[] = [];
    const seen = new Set<string>();
    for (const [key, statements] of Object.entries(replays)) {
      if (!isGatewayRead(key)) continue;
      for (const [index, statement] of statements.entries()) {
        // Whatever the mode, a statement without parameters has one plan, and one the gateway
        // sends unnamed is planned with its values every time. The principal lookup recurs in
        // every request of a principal: timed once.
        const identity = JSON.stringify([statement.sql, statement.params]);
        if (statement.params.length === 0 || plannedPerExecution(statement) || seen.has(identity)) continue;
        seen.add(identity);
        comparisons.push({
          key,
          statement: index,
          genericMs: await medianMs(generic, statement, options),
          customMs: await medianMs(custom, statement, options),
        });
      }
    }
    return comparisons;
  } finally {
    await Promise.all([generic.end({ timeout: 5 }), custom.end({ timeout: 5 })]);
  }
}

async function medianMs(sql: postgres.Sql, statement: ReplayStatement, { budgetMs = 400, maxRuns = 25 }: Options): Promise<number> {
  const run = () => sql.unsafe(statement.sql, statement.params as never[], { prepare: true });
  await run();
  const times: number[] = [];
  const until = performance.now() + budgetMs;
  while (times.length < 3 || (times.length < maxRuns && performance.now() < until)) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** One line: how many statements were compared, and the cliffs among them. */
export function planSummary(comparisons: readonly PlanComparison[]): string {
  const cliffs = comparisons.filter(isCliff);
  return `${comparisons.length} statements with parameters compared: ` +
    (cliffs.length
      ? `${cliffs.length} cliff(s), generic > ${CLIFF_RATIO}× custom and > ${CLIFF_FLOOR_MS} ms slower: ${cliffs.map((c) => `${c.key}#${c.statement + 1} ${c.genericMs.toFixed(1)} vs ${c.customMs.toFixed(1)} ms`).join(', ')}`
      : `no cliff (generic ≤ ${CLIFF_RATIO}× custom or within ${CLIFF_FLOOR_MS} ms)`);
}

/** The Markdown section of a run's results: the slowest generic plans relative to custom, cliffs marked. */
export function planLines(comparisons: readonly PlanComparison[], shown = 12): string[] {
  if (comparisons.length === 0) return [];
  const worst = [...comparisons].sort((a, b) => b.genericMs / b.customMs - a.genericMs / a.customMs).slice(0, shown);
  return [
    `Generic vs custom plans (median round trip per execution): ${planSummary(comparisons)}`,
    '',
    '| request | statement | generic ms | custom ms | generic / custom |',
    '|---|---:|---:|---:|---:|',
    ...worst.map((c) => `| ${c.key} | ${c.statement + 1} | ${c.genericMs.toFixed(2)} | ${c.customMs.toFixed(2)} | ${(c.genericMs / c.customMs).toFixed(2)}${isCliff(c) ? ' ✗' : ''} |`),
    '',
  ];
}
