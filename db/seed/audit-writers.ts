/**
 * Appends generated audit events to a database's chain, all or nothing: COPY on PostgreSQL,
 * batched INSERTs on PGlite.
 *
 * In one transaction holding the chain's advisory lock (the one appendAuditEvent takes, so a
 * gateway writing at the same time waits rather than forking the chain): draw the first id from
 * the id sequence as appends do (or just past the head, if that is further), read the head's
 * hash, let the caller generate rows from there, check that each row continues the chain, write
 * them with their explicit ids, and move the sequence to the last id so that later appends
 * follow on. The table's append-only triggers guard UPDATE, DELETE and TRUNCATE only: inserts,
 * COPY included, pass.
 */
import { desc, sql } from 'drizzle-orm';
import { AUDIT_CHAIN_LOCK } from '../audit.ts';
import { GENESIS_HASH } from '../audit-chain.ts';
import type { DatabaseHandle, Executor, PostgresClient } from '../client.ts';
import { rows as rowsOf } from '../rows.ts';
import { auditEvents, type AuditEventRow } from '../schema.ts';
import { loadWithIndexesDeferred } from './bulk-load.ts';
import { copyInto } from './copy-stream.ts';
import { copyTable, integer, json, nullable, text, timestamp } from './copy-text.ts';

/** Where generated events must start: the next id, and the hash of the row before it. */
export interface ChainStart {
  readonly startId: number;
  readonly prevHash: string;
}

/** Rows continuing the chain from `start` (generateAuditEvents with these options). */
export type ChainContinuation = (start: ChainStart) => Iterable<AuditEventRow>;

export const AUDIT_EVENTS_COPY = copyTable<AuditEventRow>(auditEvents, {
  id: integer,
  occurredAt: timestamp,
  actorId: nullable(text),
  actorSubject: nullable(text),
  action: text,
  subjectType: text,
  subjectId: nullable(text),
  decision: text,
  reason: nullable(text),
  requestId: nullable(text),
  traceId: nullable(text),
  policyVersion: nullable(text),
  details: json,
  hash: nullable(text),
  prevHash: nullable(text),
});

const INSERT_CHUNK = 1000;

export async function writeAuditEvents(database: DatabaseHandle, continuation: ChainContinuation): Promise<number> {
  return database.postgresClient ? copyAuditEvents(database.postgresClient, continuation) : insertAuditEvents(database.db, continuation);
}

export async function copyAuditEvents(client: PostgresClient, continuation: ChainContinuation): Promise<number> {
  return client.begin(async (tx) => {
    await tx`set local statement_timeout = 0`;
    await tx`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
    const [next] = await tx<{ id: string }[]>`select nextval(pg_get_serial_sequence('audit_events', 'id'))::text as id`;
    // postgres.js reads bigint as text. (Casting in the select list would make `order by id` sort the text.)
    const [head] = await tx<{ id: string; hash: string | null }[]>`select id, hash from audit_events order by id desc limit 1`;
    const chain = checkedChain(chainStart(Number(next?.id), head && { id: head.id, hash: head.hash }), continuation);
    const count = await loadWithIndexesDeferred(tx, AUDIT_EVENTS_COPY.table, () => copyInto(tx, AUDIT_EVENTS_COPY, chain.rows));
    if (chain.lastId() !== undefined) await tx`select setval(pg_get_serial_sequence('audit_events', 'id'), ${chain.lastId() as number})`;
    return count;
  });
}

export async function insertAuditEvents(db: Executor, continuation: ChainContinuation): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const [next] = await rowsOf<{ id: string }>(tx, sql`select nextval(pg_get_serial_sequence('audit_events', 'id'))::text as id`);
    const [head] = await tx.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    const chain = checkedChain(chainStart(Number(next?.id), head && { id: String(head.id), hash: head.hash }), continuation);
    let count = 0;
    let batch: AuditEventRow[] = [];
    for (const row of chain.rows) {
      batch.push(row);
      if (batch.length === INSERT_CHUNK) {
        await tx.insert(auditEvents).values(batch);
        count += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await tx.insert(auditEvents).values(batch);
    count += batch.length;
    if (chain.lastId() !== undefined) await tx.execute(sql`select setval(pg_get_serial_sequence('audit_events', 'id'), ${chain.lastId()})`);
    return count;
  });
}

function chainStart(nextId: number, head: { id: string; hash: string | null } | undefined): ChainStart {
  if (!Number.isSafeInteger(nextId)) throw new Error(`the audit id sequence gave ${nextId}`);
  // A head without a hash is a chain already broken: extending it would bury the break.
  if (head && head.hash === null) throw new Error(`audit event ${head.id}, the chain head, has no hash: run npm run audit:verify`);
  // Past the head even when rows were inserted with ids the sequence never gave out.
  return { startId: Math.max(nextId, head ? Number(head.id) + 1 : 1), prevHash: head?.hash ?? GENESIS_HASH };
}

/**
 * The caller's rows, passed through only while each continues the chain (consecutive ids from
 * the start, each linking to the hash before it): a row that does not stops the write, which
 * then rolls back. Hashes are the generator's to get right; `npm run audit:verify` rechecks them.
 */
function checkedChain(start: ChainStart, continuation: ChainContinuation) {
  let lastId: number | undefined;
  function* rows(): Generator<AuditEventRow> {
    let expectedId = start.startId;
    let expectedPrev = start.prevHash;
    for (const row of continuation(start)) {
      if (row.id !== expectedId || row.prevHash !== expectedPrev || row.hash === null) {
        throw new Error(`audit event ${row.id} does not continue the chain: expected id ${expectedId} linking to ${expectedPrev}`);
      }
      lastId = row.id;
      expectedId += 1;
      expectedPrev = row.hash;
      yield row;
    }
  }
  return { rows: rows(), lastId: () => lastId };
}
