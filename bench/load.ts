/**
 * The load generator, run as its own process (`node --import tsx bench/load.ts <json>`) so that
 * autocannon does not share a CPU's event loop with what it measures. Drives one workload with
 * autocannon, judges every response body (workloads.ts), and prints one JSON result line.
 */
import autocannon from 'autocannon';
import { judge, WORKLOADS, type WorkloadId, type WorkloadIds } from './workloads.ts';

export interface LoadSpec {
  readonly url: string;
  /** Path per request; the raw baseline serves each workload at its own path. */
  readonly path: string;
  readonly token: string;
  readonly workload: WorkloadId;
  readonly ids: WorkloadIds;
  readonly connections: number;
  readonly durationS: number;
  /** The raw baseline answers `{ data: { rows, results } }`: judged on status and rows fetched at all (a leaf's empty directReports is a right answer). */
  readonly raw?: boolean;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly failed: number;
  /** The first few distinct reasons responses were judged failures. */
  readonly failures: readonly string[];
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const workload = WORKLOADS.find((candidate) => candidate.id === spec.workload);
  if (!workload) throw new Error(`unknown workload ${spec.workload}`);
  let failed = 0;
  const reasons = new Set<string>();
  const onResponse = (status: number, body: string, context: object) => {
    const reason = spec.raw ? judgeRaw(status, body) : judge(workload, status, body);
    if (reason) {
      failed += 1;
      if (reasons.size < 5) reasons.add(reason);
    }
    const created = /"createReport":\{"id":"([^"]+)"/.exec(body);
    if (created) (context as { reportId?: string }).reportId = created[1];
  };
  const requests = workload.requests(spec.ids).map((request) => ({
    method: 'POST' as const,
    path: spec.path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.token}` },
    // W8's submit names the report the connection's previous request created.
    setupRequest: (req: autocannon.Request, context: object): autocannon.Request => {
      const reportId = (context as { reportId?: string }).reportId;
      return { ...req, body: JSON.stringify({ ...request, variables: request.variables ?? (reportId ? { id: reportId } : undefined) }) };
    },
    onResponse,
  }));
  const result = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.durationS, requests });
  const transportErrors = result.errors + result.timeouts;
  if (transportErrors > 0) reasons.add(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failed: failed + transportErrors,
    failures: [...reasons],
  };
}

function judgeRaw(status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 120)}`;
  const rows = (JSON.parse(text) as { data?: { rows?: number } }).data?.rows ?? 0;
  return rows >= 1 ? undefined : 'no rows';
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
process.stdout.write(`${JSON.stringify(await run(spec))}\n`);
