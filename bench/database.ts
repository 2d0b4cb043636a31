/**
 * The benchmark's own PostgreSQL database, bi_bench_<size>: created and seeded by `npm run seed`
 * (COPY on PostgreSQL) when missing or when its contents do not match the size, reused
 * otherwise, since seeding the large size takes minutes.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import postgres from 'postgres';
import type { Size } from './args.ts';
import { ROOT } from './processes.ts';

export interface BenchDatabase {
  readonly url: string;
  readonly snapshotFile: string;
  readonly seeded: 'reused' | 'seeded';
}

export async function ensureBenchDatabase(serverUrl: string, size: Size, log: (line: string) => void): Promise<BenchDatabase> {
  const name = `bi_bench_${size.name}`;
  const url = withDatabase(serverUrl, name);
  const snapshotFile = `.data/bench-${size.name}-org.json`;
  if (existsSync(`${ROOT}/${snapshotFile}`) && (await matches(url, size))) return { url, snapshotFile, seeded: 'reused' };

  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  log(`seeding ${name}: ${size.people} people, ${size.reports} reports, ${size.auditEvents} audit events`);
  await run(['--import', 'tsx', 'db/cli/seed.ts', '--people', String(size.people), '--reports', String(size.reports),
    '--audit-events', String(size.auditEvents), '--seed', '7', '--out', snapshotFile], { DATABASE_URL: url });
  return { url, snapshotFile, seeded: 'seeded' };
}

async function matches(url: string, size: Size): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ people: number; reports: number; events: number }[]>`
      select (select count(*) from people)::int as people, (select count(*) from reports where title <> 'Benchmark report')::int as reports,
             (select count(*) from audit_events)::int as events`;
    return row?.people === size.people && row.reports === size.reports && row.events >= size.auditEvents;
  } catch {
    return false;
  } finally {
    await sql.end();
  }
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function run(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding failed with exit code ${code}`))));
  });
}
