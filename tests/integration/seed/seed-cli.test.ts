import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../db/audit-verify.ts';
import { openDatabase } from '../../../db/client.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a CLI as npm would (`tsx db/cli/…`), on the database `env` names (the embedded one unless DATABASE_URL is given). */
function runCli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const runSeed = (args: string[], env: Record<string, string>) => runCli('db/cli/seed.ts', args, env);
const runVerify = (env: Record<string, string>) => runCli('db/cli/audit-verify.ts', [], env);

const SUMMARY_TIMINGS =
  /— generate org [\d.]+s, write [\d.]+s, import [\d.]+s, generate reports [\d.]+s, (COPY|INSERT) reports [\d.]+s, generate audit events [\d.]+s, (COPY|INSERT) audit events [\d.]+s, vacuum analyze [\d.]+s$/;

describe('npm run seed', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'seed-cli-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('seeds the embedded database and prints a one-line summary with timings; the audit chain verifies', async () => {
    const out = join(directory, 'org.json');
    const env = { PGLITE_DIR: join(directory, 'pglite') };
    const result = await runSeed(['--people', '120', '--reports', '200', '--audit-events', '300', '--seed', '3', '--out', out], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/org sequence 1 applied \(120 people, \d+ org units, seed 3, .*\), 200 reports, 300 audit events \(INSERT\) — /);
    expect(lines[0]).toMatch(SUMMARY_TIMINGS);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ version: 1, sequence: 1 });

    const verified = await runVerify(env);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toMatch(/^audit chain intact: 301 rows, head 301:[0-9a-f]{64}$/m);
    const database = await openDatabase({ driver: 'pglite', dataDir: env.PGLITE_DIR });
    try {
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 301 });
    } finally {
      await database.close();
    }
  }, 90_000);

  it.each([
    [['--people', 'lots'], /--people: expected an integer/],
    [['--peple', '5'], /Unknown option '--peple'/],
    [['--audit-events=-1'], /--audit-events: must be between 0/],
  ])('exits with 2 and the usage for %j', async (args, message) => {
    const result = await runSeed(args, { PGLITE_DIR: join(directory, 'unused') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/usage: npm run seed/);
    expect(result.stdout).toBe('');
  }, 30_000);
});

describe.runIf(postgresUrl !== undefined)('npm run seed on PostgreSQL', () => {
  let database: TestDatabase;
  let directory: string;

  beforeAll(async () => {
    // The CLI applies the migrations itself, as it does on a fresh benchmark database.
    database = await openTestDatabase('postgres', { migrate: false });
    directory = await mkdtemp(join(tmpdir(), 'seed-cli-pg-'));
  });
  afterAll(async () => {
    await database?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('writes with COPY, twice, and the audit chain verifies after each', async () => {
    const env = { DATABASE_URL: database.url as string };
    const first = await runSeed(['--people', '300', '--reports', '2000', '--audit-events', '5000', '--seed', '7', '--out', join(directory, 'a.json')], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout.trim()).toMatch(/^seeded postgres .*org sequence 1 applied \(300 people, .*\), 2000 reports, 5000 audit events \(COPY\) — /);
    expect(first.stdout.trim()).toMatch(SUMMARY_TIMINGS);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 5001 });

    // A re-seed continues the chain where the first seed and its import left it.
    const second = await runSeed(['--people', '300', '--reports', '100', '--audit-events', '100', '--seed', '8', '--out', join(directory, 'b.json')], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    const verified = await runVerify(env);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toMatch(/^audit chain intact: 5102 rows, head 5102:[0-9a-f]{64}$/m);
  }, 120_000);
});
