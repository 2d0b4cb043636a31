/**
 * The processes a benchmark run starts: the gateway (as `npm start` runs it), the raw baseline
 * and the load generator, each its own Node process on 127.0.0.1. Peak memory is read from
 * /proc (VmHWM: the resident set's high-water mark since the process started).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Which CPU each side runs on: the measured server (gateway or raw baseline) on one core, the
 * load generator on another, so that autocannon's own work is not counted against either.
 * PostgreSQL, a system service, is left where the scheduler puts it. Without taskset or a
 * second core nothing is pinned, and the results say so.
 */
const TASKSET = '/usr/bin/taskset';
export const PINNING = existsSync(TASKSET) && availableParallelism() >= 2 ? { server: '0', load: '1' } : undefined;

export function describePinning(): string {
  return PINNING
    ? `taskset: gateway and raw baseline on CPU ${PINNING.server}, autocannon on CPU ${PINNING.load}, PostgreSQL unpinned`
    : 'not pinned (no taskset or a single CPU)';
}

/** `node <args>`, on `cpu` when pinning is possible; taskset execs node, so the pid is node's. */
function spawnNode(args: readonly string[], cpu: 'server' | 'load', options: Parameters<typeof spawn>[2]): ChildProcess {
  return PINNING
    ? spawn(TASKSET, ['-c', PINNING[cpu], process.execPath, ...args], options)
    : spawn(process.execPath, [...args], options);
}

export interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
}

/** Starts the gateway with `env` added to this process's environment; resolves once /readyz says ready. */
export async function startGateway(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawnNode(['--import', 'tsx', '--import', './telemetry/register.ts', 'gateway.ts'], 'server', {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), AUTH_MODE: 'dev' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.ok, () => false);
    if (ready) return { child, port, stop: stopper(child) };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error('the gateway did not become ready within 120 s');
}

/** Starts a bench script that prints "listening <port>" when ready. */
export async function startScript(script: string, argument: unknown): Promise<Started> {
  const child = spawnNode(['--import', 'tsx', script, JSON.stringify(argument)], 'server', {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening (\d+)/.exec(seen);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  return { child, port, stop: stopper(child) };
}

/** Runs a bench script (the load generator) to completion on the load CPU and parses the JSON line it prints. */
export async function runScript<T>(script: string, argument: unknown): Promise<T> {
  const child = spawnNode(['--import', 'tsx', script, JSON.stringify(argument)], 'load', {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(output.trim().split('\n').at(-1) ?? 'null') as T;
}

/** Resident and peak resident memory of a process, in MB (Linux). */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}
