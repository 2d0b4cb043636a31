/** The benchmark's output: one JSON file and one Markdown table per run, in bench/results/. */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { LoadResult } from './load.ts';
import { planLines, type PlanComparison } from './plans.ts';
import { describePinning } from './processes.ts';
import type { SoakResult } from './soak.ts';

export interface Measurement extends LoadResult {
  readonly target: 'gateway' | 'raw' | 'unguarded' | 'naive';
  /** Concurrent connections of this run (heavy workloads run with fewer: bench/cli.ts). */
  readonly connections: number;
  readonly workload: string;
  readonly principal: string;
  /** Statements per request (captured from the gateway; for the raw baseline, what it replays). */
  readonly statementsPerRequest: number | null;
  /** PostgreSQL's active time (pg_stat_database) over the run, per request, in ms. */
  readonly dbMsPerRequest: number | null;
  /** The gateway's peak resident memory so far (VmHWM), in MB. */
  readonly gatewayPeakRssMb: number | null;
  /** The round of a paired comparison (bench/paired.ts) this run belongs to. */
  readonly pairedRound?: number;
}

export interface Ratio {
  readonly name: string;
  readonly workload: string;
  readonly principal: string;
  readonly value: number;
  readonly target: number | null;
}

export interface BenchReport {
  readonly command: string;
  readonly startedAt: string;
  readonly machine: { cpu: string; cores: number; memoryGb: number; node: string; postgres: string; pinning: string };
  readonly settings: Record<string, unknown>;
  readonly measurements: readonly Measurement[];
  readonly ratios: readonly Ratio[];
  readonly memory: { peakRssMb: number; rssStartMb: number; rssEndMb: number };
  readonly soak?: SoakResult;
  /** Each captured statement's generic against its custom plan (bench/plans.ts). */
  readonly plans?: readonly PlanComparison[];
  readonly failed: boolean;
}

export function machine(postgresVersion: string): BenchReport['machine'] {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: postgresVersion,
    pinning: describePinning(),
  };
}

export async function writeReport(directory: string, report: BenchReport): Promise<{ json: string; markdown: string }> {
  await mkdir(directory, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const size = String(report.settings.size);
  const json = `${directory}/${size}-${stamp}.json`;
  const markdown = `${directory}/${size}-${stamp}.md`;
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, toMarkdown(report));
  return { json, markdown };
}

const round = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits));

export function toMarkdown(report: BenchReport): string {
  const lines = [
    `# Benchmark ${report.settings.size} — ${report.startedAt}${report.failed ? ' — FAILED (responses with errors)' : ''}`,
    '',
    `Command: \`${report.command}\``,
    '',
    `Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGb} GiB, Node ${report.machine.node}, ${report.machine.postgres}; ${report.machine.pinning}`,
    '',
    `Settings: ${Object.entries(report.settings).map(([key, value]) => `${key}=${String(value)}`).join(', ')}`,
    '',
    '| workload | principal | target | connections | req/s | p50 ms | p99 ms | SQL/req | DB ms/req | failed | gateway peak RSS MB |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...report.measurements.map(
      (m) =>
        `| ${m.workload} | ${m.principal} | ${m.target}${m.pairedRound ? ` (paired, round ${m.pairedRound})` : ''} | ${m.connections} | ${round(m.requestsPerSecond)} | ${round(m.latencyP50Ms)} | ${round(m.latencyP99Ms)} | ${m.statementsPerRequest ?? '–'} | ${round(m.dbMsPerRequest, 2)} | ${m.failed}${m.failures.length ? ` (${m.failures.join('; ')})` : ''} | ${m.gatewayPeakRssMb ?? '–'} |`,
    ),
    '',
    '| ratio | workload | principal | value | target |',
    '|---|---|---|---:|---:|',
    ...report.ratios.map((r) => `| ${r.name} | ${r.workload} | ${r.principal} | ${r.value.toFixed(2)} | ${r.target === null ? '–' : `≥ ${r.target}`}${r.target !== null && r.value < r.target ? ' ✗' : ''} |`),
    '',
    `Gateway memory: ${report.memory.rssStartMb} MB resident after warm-up, ${report.memory.rssEndMb} MB at the end, ${report.memory.peakRssMb} MB peak.`,
    '',
    ...(report.soak ? soakLines(report.soak) : []),
    ...planLines(report.plans ?? []),
  ];
  return lines.join('\n');
}

function soakLines(soak: SoakResult): string[] {
  return [
    `Soak: ${soak.durationS} s, ${soak.requests} requests, ${soak.failed} failed${soak.failures.length ? ` (${soak.failures.join('; ')})` : ''}; ` +
      `resident memory ${soak.firstMinuteMb} MB over the first minute, ${soak.lastMinuteMb} MB over the last, ${soak.peakRssMb} MB peak.`,
    '',
    `Samples (s: MB): ${soak.samples.map((sample) => `${sample.atS}: ${sample.rssMb}`).join(', ')}`,
    '',
  ];
}
