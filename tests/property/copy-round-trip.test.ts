/**
 * What the bulk writers store is what they were given: arbitrary text (tabs, newlines,
 * backslashes, quotes, braces, commas, `\N`, any Unicode code point but NUL) in every text,
 * array and jsonb column, written through COPY on PostgreSQL and INSERT on PGlite, reads back
 * equal. For audit events the stored rows must also still verify as a hash chain, which holds
 * only if jsonb and text come back exactly as they were hashed.
 */
import fc from 'fast-check';
import { asc, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowHash } from '../../db/audit-chain.ts';
import { verifyAuditChain } from '../../db/audit-verify.ts';
import { auditEvents, reports, type AuditEventRow } from '../../db/schema.ts';
import { writeAuditEvents, type ChainStart } from '../../db/seed/audit-writers.ts';
import { writeReports } from '../../db/seed/report-writers.ts';
import type { SeedReportRow } from '../../db/seed/reports.ts';
import { importOrgSnapshot } from '../../org/import.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../support/database.ts';
import { smallOrg } from '../support/org-fixtures.ts';

/** Characters with a meaning in COPY text, array literals or JSON, mixed with any code point but NUL. */
const hostileUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\\', '\t', '\n', '\r', '"', "'", ',', '{', '}', ' ', '\\N', '\\.', 'NULL', '\u2028', 'é', '漢', '🚀', '\u0001') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((character) => character !== '\0') },
);
const hostile = fc.string({ unit: hostileUnit, maxLength: 30 });
const moment = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

let nextId = 0;
const reportId = () => `00000000-0000-4000-8000-${(nextId++).toString(16).padStart(12, '0')}`;

const reportRow = fc
  .record({
    title: hostile,
    summary: hostile,
    body: hostile,
    status: fc.constantFrom('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED'),
    sensitivity: fc.constantFrom('INTERNAL', 'CONFIDENTIAL'),
    tags: fc.array(hostile, { maxLength: 5 }),
    customerAccounts: fc.array(hostile, { maxLength: 3 }),
    createdAt: moment,
    updatedAt: moment,
    publishedAt: fc.option(moment),
    reviewNote: fc.option(hostile),
  })
  .map((fields): SeedReportRow => ({ ...fields, id: reportId(), authorId: 'p-a', orgUnitId: 'ou-br-dev' }));

const jsonValue = fc.oneof(hostile, fc.integer(), fc.boolean(), fc.constant(null), fc.array(hostile, { maxLength: 3 }));
const eventDraft = fc.record({
  occurredAt: moment,
  actorId: fc.option(hostile),
  actorSubject: fc.option(hostile),
  action: hostile,
  subjectType: hostile,
  subjectId: fc.option(hostile),
  decision: fc.constantFrom('ALLOW' as const, 'DENY' as const),
  reason: fc.option(hostile),
  requestId: fc.option(hostile),
  traceId: fc.option(hostile),
  policyVersion: fc.option(hostile),
  // A plain object, as the gateway's details are (fast-check's dictionaries have no prototype).
  details: fc.dictionary(hostile, jsonValue, { maxKeys: 4 }).map((entries) => ({ ...entries })),
});
type EventDraft = Omit<AuditEventRow, 'id' | 'hash' | 'prevHash'>;

/** Drafts chained from the database's head, as the seed's generator does it. */
function chained(drafts: readonly EventDraft[]) {
  const rows: AuditEventRow[] = [];
  const continuation = ({ startId, prevHash }: ChainStart) => {
    let previous = prevHash;
    for (const [index, draft] of drafts.entries()) {
      const row: AuditEventRow = { ...draft, id: startId + index, prevHash: previous, hash: null };
      row.hash = auditRowHash(row);
      previous = row.hash;
      rows.push(row);
    }
    return rows;
  };
  return { rows, continuation };
}

describe.each(drivers)('bulk writers round-trip arbitrary values on $name', ({ name, available }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    await importOrgSnapshot(database.db, smallOrg(), { source: 'property' });
  });
  afterAll(async () => database?.close());

  it.runIf(available)('stores reports exactly as given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reportRow, { minLength: 1, maxLength: 8 }), async (rows) => {
        expect(await writeReports(database, rows)).toBe(rows.length);
        const stored = await database.db
          .select()
          .from(reports)
          .where(inArray(reports.id, rows.map((row) => row.id)))
          .orderBy(asc(reports.id));
        expect(stored).toEqual(rows);
      }),
      { numRuns: name === 'postgres' ? 60 : 30 },
    );
  });

  it.runIf(available)('stores audit events exactly as hashed, so the chain still verifies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventDraft, { minLength: 1, maxLength: 6 }), async (drafts) => {
        const { rows, continuation } = chained(drafts);
        expect(await writeAuditEvents(database, continuation)).toBe(drafts.length);
        const stored = await database.db
          .select()
          .from(auditEvents)
          .where(inArray(auditEvents.id, rows.map((row) => row.id)))
          .orderBy(asc(auditEvents.id));
        expect(stored).toEqual(rows);
        expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
      }),
      { numRuns: name === 'postgres' ? 40 : 20 },
    );
  });
});
