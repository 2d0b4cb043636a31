import type { SQL } from 'drizzle-orm';
import type { Executor } from './client.ts';

/**
 * Runs a raw statement and returns its rows. postgres.js answers `execute` with an array and
 * PGlite with `{ rows }`; this is the one place that knows.
 */
export async function rows<T extends Record<string, unknown>>(executor: Executor, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await executor.execute(statement));
}

/** The rows of a driver's answer to a raw statement. */
export function rowsOf<T extends Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
