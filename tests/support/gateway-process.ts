/**
 * Starts the real gateway (`gateway.ts`) as a child process on an ephemeral port, as an
 * operator would, and reads its JSON log lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every log line so far, parsed; non-JSON output is kept as { raw }. */
  readonly logs: Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ExitedProcess {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The start command of package.json (`npm start`): tracing registered before the app's imports. */
export const GATEWAY_NODE_ARGS: readonly string[] = ['--import', 'tsx', '--import', './telemetry/register.ts', 'gateway.ts'];

function spawnGateway(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...GATEWAY_NODE_ARGS], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      LOG_LEVEL: 'info',
      DEV_ISSUER_KEY_FILE: join(tmpdir(), 'bi-test-dev-issuer', 'signing-key.json'),
      // Policy and API suites send ad-hoc operations as the dashboard service and page quickly:
      // trusted documents, rate limits and cost budgets have their own tests (tests/integration/web).
      TRUSTED_DOCUMENTS: 'off',
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
      COST_BUDGET_PER_MINUTE_ANALYST: '0',
      COST_BUDGET_PER_MINUTE_FRONTEND: '0',
      COST_BUDGET_PER_MINUTE_SERVICE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts the gateway and resolves once it listens; rejects if it exits first. */
export function startGatewayProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<GatewayProcess> {
  const child = spawnGateway(env);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseLine(line);
        logs.push(entry);
        if (entry.message === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve({ url: `http://127.0.0.1:${entry.port}`, child, logs, stop: (signal) => stop(child, signal) });
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before listening\n${stderr}`));
    });
  });
}

/** Runs the gateway expecting it to exit on its own (a refused configuration, say). */
export function runGatewayToExit(env: Record<string, string>, timeoutMs = 60_000): Promise<ExitedProcess> {
  const child = spawnGateway(env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway still running after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function parseLine(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { raw: line };
  } catch {
    return { raw: line };
  }
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
