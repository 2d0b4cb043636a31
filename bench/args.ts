/** Flags of `npm run bench`, parsed strictly (a typo must not run a 20-minute benchmark wrongly). */
import { parseArgs } from 'node:util';
import { integerFlag } from '../db/seed/cli-args.ts';
import { WORKLOADS, type WorkloadId } from './workloads.ts';

export const BENCH_USAGE = `usage: npm run bench -- [--size small|large] [--duration S] [--connections C] [--workloads W1,W3] [--prepare on|off] [--plans custom|auto]
                         [--executor jit|graphql-js] [--soak S]

  --size         small: 5,000 people / 100,000 reports / 200,000 audit events (default)
                 large: 50,000 people / 1,000,000 reports / 2,000,000 audit events
  --duration     seconds per measured run (default 10)
  --connections  concurrent connections autocannon keeps open (default 32)
  --workloads    which workloads to run (default all: W1..W8)
  --prepare      postgres.js prepared statements, in the gateway (DATABASE_PREPARE) and the raw
                 baseline alike (default on)
  --plans        PostgreSQL plan_cache_mode for both: auto (default, as the gateway's
                 DATABASE_PLAN_CACHE_MODE), custom = force_custom_plan
  --executor     the gateway's GRAPHQL_EXECUTOR (default jit)
  --soak         instead of the comparisons: S seconds of read workloads in turn, sampling the
                 gateway's resident memory (a 10-minute run: --soak 600)

PostgreSQL: BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres);
the benchmark creates and seeds its own database bi_bench_<size> there, and reuses it when present.
`;

export interface Size {
  readonly name: 'small' | 'large';
  readonly people: number;
  readonly reports: number;
  readonly auditEvents: number;
}

export const SIZES: Record<Size['name'], Size> = {
  small: { name: 'small', people: 5000, reports: 100_000, auditEvents: 200_000 },
  large: { name: 'large', people: 50_000, reports: 1_000_000, auditEvents: 2_000_000 },
};

export interface BenchArguments {
  readonly help: boolean;
  readonly size: Size;
  readonly durationS: number;
  readonly connections: number;
  readonly workloads: readonly WorkloadId[];
  readonly prepare: boolean;
  readonly planCacheMode: 'auto' | 'force_custom_plan';
  readonly executor: 'jit' | 'graphql-js';
  /** Seconds of the memory soak; 0 runs the comparisons. */
  readonly soakS: number;
}

export function parseBenchArguments(argv: readonly string[]): BenchArguments {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      size: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      workloads: { type: 'string' },
      prepare: { type: 'string' },
      plans: { type: 'string' },
      executor: { type: 'string' },
      soak: { type: 'string' },
    },
  });
  const size = values.size ?? 'small';
  if (size !== 'small' && size !== 'large') throw new Error(`--size: small or large, got ${JSON.stringify(size)}`);
  const known = new Set<string>(WORKLOADS.map((workload) => workload.id));
  const workloads = (values.workloads ?? [...known].join(',')).split(',').map((entry) => entry.trim().toUpperCase());
  const unknown = workloads.filter((entry) => !known.has(entry));
  if (unknown.length) throw new Error(`--workloads: unknown ${unknown.join(', ')}`);
  if (values.prepare !== undefined && values.prepare !== 'on' && values.prepare !== 'off') throw new Error('--prepare: on or off');
  if (values.plans !== undefined && values.plans !== 'custom' && values.plans !== 'auto') throw new Error('--plans: custom or auto');
  if (values.executor !== undefined && values.executor !== 'jit' && values.executor !== 'graphql-js') throw new Error('--executor: jit or graphql-js');
  return {
    help: values.help ?? false,
    size: SIZES[size],
    durationS: integerFlag('duration', values.duration, 10, 1, 3600),
    connections: integerFlag('connections', values.connections, 32, 1, 1000),
    workloads: workloads as WorkloadId[],
    prepare: values.prepare !== 'off',
    planCacheMode: values.plans === 'custom' ? 'force_custom_plan' : 'auto',
    executor: values.executor === 'graphql-js' ? 'graphql-js' : 'jit',
    soakS: integerFlag('soak', values.soak, 0, 0, 24 * 3600),
  };
}

