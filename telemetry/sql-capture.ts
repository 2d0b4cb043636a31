/**
 * Benchmark only (BENCH_SQL_CAPTURE_FILE, refused outside AUTH_MODE=dev): appends every statement
 * this process sends, with its parameters, as one JSON line, so the raw baseline of `npm run
 * bench` replays exactly the gateway's SQL. Synchronous appends: the benchmark captures one
 * request at a time and reads the file right after each response.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { tapStatements } from './sql-counter.ts';

export interface CapturedStatement {
  readonly sql: string;
  readonly params: unknown[];
}

export function captureStatementsTo(file: string): () => void {
  writeFileSync(file, '');
  return tapStatements((query, params) => {
    const line: CapturedStatement = { sql: query, params };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
