/**
 * Captured statements on disk: the gateway's capture file is JSON lines, with Dates written as
 * ISO strings by JSON.stringify. Replayed as strings, a timestamp parameter would reach
 * PostgreSQL untyped, which it infers from context exactly as it does for the gateway's Dates.
 */
import { readFile } from 'node:fs/promises';
import { PLANNED_PER_EXECUTION } from '../db/prepared.ts';

export interface ReplayStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Whether the gateway sends this statement unnamed, to be planned with its values every time (db/prepared.ts). */
export function plannedPerExecution(statement: ReplayStatement): boolean {
  return statement.sql.startsWith(PLANNED_PER_EXECUTION);
}

/** Route key → statements, from the file the benchmark writes after capturing. */
export async function readStatementRoutes(file: string): Promise<Map<string, readonly ReplayStatement[]>> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, ReplayStatement[]>;
  return new Map(Object.entries(parsed));
}

/** The statements appended to a capture file after byte `from`. */
export async function statementsSince(file: string, from: number): Promise<{ statements: ReplayStatement[]; end: number }> {
  const text = await readFile(file, 'utf8');
  const fresh = text.slice(from);
  const statements = fresh
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReplayStatement);
  return { statements, end: text.length };
}
