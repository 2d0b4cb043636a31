import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `tsx db/cli/seed.ts` as npm would, on the embedded database in a temporary directory. */
function runSeed(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'db/cli/seed.ts', ...args], {
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

describe('npm run seed', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'seed-cli-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('seeds the embedded database and prints a one-line summary with timings', async () => {
    const out = join(directory, 'org.json');
    const result = await runSeed(['--people', '120', '--reports', '200', '--seed', '3', '--out', out], {
      PGLITE_DIR: join(directory, 'pglite'),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/org sequence 1 applied \(120 people, \d+ org units, seed 3, .*\), 200 reports — generate org [\d.]+s.*insert reports [\d.]+s$/);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ version: 1, sequence: 1 });
  }, 60_000);

  it.each([
    [['--people', 'lots'], /--people: expected an integer/],
    [['--peple', '5'], /Unknown option '--peple'/],
  ])('exits with 2 and the usage for %j', async (args, message) => {
    const result = await runSeed(args, { PGLITE_DIR: join(directory, 'unused') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/usage: npm run seed/);
    expect(result.stdout).toBe('');
  }, 30_000);
});
