/**
 * `npm run bench -- --soak S`: the gateway's memory over a long run. The read workloads (W1, W2,
 * W3, W5, W7) take turns for every principal in 10-second slices until S seconds have passed;
 * the gateway's resident memory is sampled after every slice. A leak shows as a last minute
 * that sits above the first one after warm-up; the peak is the figure the 250 MB budget is about.
 */
import type { LoadResult, LoadSpec } from './load.ts';
import { memoryOf, runScript, type Started } from './processes.ts';
import type { Principal } from './capture.ts';
import type { WorkloadId, WorkloadIds } from './workloads.ts';

export const SOAK_WORKLOADS: readonly WorkloadId[] = ['W1', 'W2', 'W3', 'W5', 'W7'];
const SLICE_S = 10;

export interface SoakResult {
  readonly durationS: number;
  readonly requests: number;
  readonly failed: number;
  readonly failures: readonly string[];
  /** Resident memory after each slice, in MB, with seconds since the start. */
  readonly samples: readonly { atS: number; rssMb: number }[];
  readonly peakRssMb: number;
  /** Mean resident memory over the first and the last minute (the first slice, warm-up, excluded). */
  readonly firstMinuteMb: number;
  readonly lastMinuteMb: number;
}

export async function soak(options: {
  gateway: Started;
  principals: readonly Principal[];
  ids: ReadonlyMap<string, WorkloadIds>;
  tokenFor: (principal: Principal) => Promise<string>;
  durationS: number;
  connections: number;
  log: (line: string) => void;
}): Promise<SoakResult> {
  const { gateway } = options;
  const pid = gateway.child.pid!;
  const people = options.principals.filter((principal) => principal.name !== 'auditor');
  const slices = people.flatMap((principal) => SOAK_WORKLOADS.map((workload) => ({ principal, workload })));
  const samples: { atS: number; rssMb: number }[] = [];
  const failures = new Set<string>();
  let requests = 0;
  let failed = 0;
  const started = Date.now();
  for (let index = 0; (Date.now() - started) / 1000 < options.durationS; index += 1) {
    const { principal, workload } = slices[index % slices.length]!;
    const spec: LoadSpec = {
      url: `http://127.0.0.1:${gateway.port}`,
      path: '/graphql',
      token: await options.tokenFor(principal),
      workload,
      ids: options.ids.get(principal.name)!,
      connections: options.connections,
      durationS: SLICE_S,
    };
    const result = await runScript<LoadResult>('bench/load.ts', spec);
    requests += result.requests;
    failed += result.failed;
    result.failures.forEach((reason) => failures.size < 5 && failures.add(reason));
    const sample = { atS: Math.round((Date.now() - started) / 1000), rssMb: memoryOf(pid).rssMb };
    samples.push(sample);
    if (index % 6 === 5) options.log(`soak: ${sample.atS} s, ${sample.rssMb} MB resident, ${requests} requests`);
  }
  const mean = (values: number[]) => (values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0);
  const afterWarmUp = samples.slice(1);
  const end = samples.at(-1)?.atS ?? 0;
  return {
    durationS: end,
    requests,
    failed,
    failures: [...failures],
    samples,
    peakRssMb: memoryOf(pid).peakRssMb,
    firstMinuteMb: mean(afterWarmUp.filter((sample) => sample.atS <= afterWarmUp[0]!.atS + 60).map((sample) => sample.rssMb)),
    lastMinuteMb: mean(afterWarmUp.filter((sample) => sample.atS >= end - 60).map((sample) => sample.rssMb)),
  };
}
