/**
 * The benchmark's workloads (issue 10), as GraphQL documents and the checks their answers must
 * pass: autocannon counts any 200 as a success, so every body is read and judged here.
 */

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'W7' | 'W8';

export interface Workload {
  readonly id: WorkloadId;
  readonly title: string;
  /** The GraphQL request body (one or more operations per request: W8 sends two in sequence). */
  readonly requests: (ids: WorkloadIds) => readonly { query: string; variables?: Record<string, unknown> }[];
  /** Why a response body is not a valid answer, or undefined when it is. */
  readonly check: (body: unknown) => string | undefined;
  /** The statements replayed by the raw baseline (writes are not: replaying an audit append would forge the chain). */
  readonly replayable: boolean;
}

/** Ids the documents need, looked up once per principal before the run. */
export interface WorkloadIds {
  readonly personId: string;
  readonly reportId: string;
}

const REPORT_FIELDS = 'id title status sensitivity createdAt';

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'W1',
    title: 'reports(first: 50) with author and orgUnit',
    requests: () => [{ query: `{ reports(first: 50) { edges { node { ${REPORT_FIELDS} author { id displayName } orgUnit { id name } } } } }` }],
    check: (body) => expectList(body, ['reports', 'edges'], 1),
    replayable: true,
  },
  {
    id: 'W2',
    title: 'report(id)',
    requests: ({ reportId }) => [{ query: `query($id: ID!) { report(id: $id) { ${REPORT_FIELDS} summary } }`, variables: { id: reportId } }],
    check: (body) => (dataAt(body, ['report', 'id']) ? undefined : 'no report in the answer'),
    replayable: true,
  },
  {
    id: 'W3',
    title: 'reportStats(groupBy: [STATUS])',
    requests: () => [{ query: '{ reportStats(groupBy: [STATUS]) { status count } }' }],
    check: (body) => expectList(body, ['reportStats'], 1),
    replayable: true,
  },
  {
    id: 'W4',
    title: 'reportStats(groupBy: [ORG_UNIT, WEEK])',
    requests: () => [{ query: '{ reportStats(groupBy: [ORG_UNIT, WEEK]) { orgUnit { id } week count } }' }],
    check: (body) => expectList(body, ['reportStats'], 1),
    replayable: true,
  },
  {
    id: 'W5',
    title: 'person { reportingChain directReports }',
    requests: ({ personId }) => [
      { query: 'query($id: ID!) { person(id: $id) { id displayName reportingChain { id displayName } directReports { id displayName } } }', variables: { id: personId } },
    ],
    check: (body) => (dataAt(body, ['person', 'id']) ? undefined : 'no person in the answer'),
    replayable: true,
  },
  {
    id: 'W6',
    title: 'auditEvents(first: 50) as an auditor',
    requests: () => [{ query: '{ auditEvents(first: 50) { edges { node { id action decision occurredAt } } } }' }],
    check: (body) => expectList(body, ['auditEvents', 'edges'], 1),
    replayable: true,
  },
  {
    id: 'W7',
    title: 'nested page: reports → author → manager → orgUnit',
    requests: () => [
      { query: '{ reports(first: 50) { edges { node { id title author { id displayName manager { id displayName orgUnit { id name } } } } } } }' },
    ],
    check: (body) => expectList(body, ['reports', 'edges'], 1),
    replayable: true,
  },
  {
    id: 'W8',
    title: 'createReport + submitReport',
    requests: () => [
      { query: 'mutation { createReport(input: { title: "Benchmark report", summary: "Written by npm run bench." }) { id status } }' },
      { query: 'mutation($id: ID!) { submitReport(id: $id) { id status } }' },
    ],
    check: (body) => (dataAt(body, ['submitReport', 'status']) === 'IN_REVIEW' || dataAt(body, ['createReport', 'id']) ? undefined : 'the report was not written'),
    replayable: false,
  },
];

function dataAt(body: unknown, path: readonly string[]): unknown {
  let current: unknown = (body as { data?: unknown } | null)?.data;
  for (const key of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/** An answer with no errors and at least `min` items at `path`. */
function expectList(body: unknown, path: readonly string[], min: number): string | undefined {
  const list = dataAt(body, path);
  if (!Array.isArray(list)) return `no list at ${path.join('.')}`;
  return list.length >= min ? undefined : `${list.length} items at ${path.join('.')}, expected at least ${min}`;
}

/** A GraphQL error anywhere makes the response a failure, whatever the HTTP status said. */
export function judge(workload: Workload, status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  const errors = (body as { errors?: { extensions?: { code?: string } }[] }).errors;
  if (errors?.length) return `GraphQL error ${errors[0]?.extensions?.code ?? 'without a code'}`;
  return workload.check(body);
}
