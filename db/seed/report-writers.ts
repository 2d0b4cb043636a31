/**
 * Writing generated reports in bulk: COPY on PostgreSQL (a million rows in seconds rather than
 * minutes of multi-row INSERTs), the portable INSERT path on PGlite, which has no COPY FROM STDIN
 * through its driver. Both are all or nothing.
 */
import type { DatabaseHandle, PostgresClient } from '../client.ts';
import { reports } from '../schema.ts';
import { loadWithIndexesDeferred } from './bulk-load.ts';
import { copyInto } from './copy-stream.ts';
import { copyTable, nullable, text, textArray, timestamp } from './copy-text.ts';
import { insertReports, type ReportWriter, type SeedReportRow } from './reports.ts';

export const REPORTS_COPY = copyTable<SeedReportRow>(reports, {
  id: text,
  title: text,
  summary: text,
  body: text,
  status: text,
  sensitivity: text,
  tags: textArray,
  customerAccounts: textArray,
  authorId: text,
  orgUnitId: text,
  createdAt: timestamp,
  updatedAt: timestamp,
  publishedAt: nullable(timestamp),
  reviewNote: nullable(text),
});

/** Streams reports through one COPY in one transaction (indexes deferred: bulk-load.ts); returns how many were written. */
export async function copyReports(client: PostgresClient, rows: Iterable<SeedReportRow>): Promise<number> {
  return client.begin(async (tx) => {
    // The connection's 30 s statement limit is for requests, not for a bulk load.
    await tx`set local statement_timeout = 0`;
    return loadWithIndexesDeferred(tx, REPORTS_COPY.table, () => copyInto(tx, REPORTS_COPY, rows));
  });
}

export const writeReports: ReportWriter = (database: DatabaseHandle, rows: Iterable<SeedReportRow>) =>
  database.postgresClient ? copyReports(database.postgresClient, rows) : insertReports(database.db, rows);
