/**
 * Imports an org snapshot (DESIGN §3): all or nothing, in one transaction, audited.
 *
 * A rejected snapshot leaves the org in force untouched; the same sequence again is a cheap
 * no-op (ORG_SNAPSHOT is read at every start); a lower sequence is refused so that an old file
 * on a restarted replica cannot undo a deprovisioning.
 */
import { createHash } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAuditEvent } from '../db/audit.ts';
import type { Database, Executor } from '../db/client.ts';
import { orgImports } from '../db/schema.ts';
import { applySnapshot, SnapshotConflict } from './apply.ts';
import { orgSnapshot, type OrgSnapshot } from './snapshot.ts';
import { findSnapshotProblems } from './validate.ts';

export interface ImportOptions {
  /** Where the snapshot came from, for the audit trail: a file path, "demo", "graphql"… */
  readonly source: string;
  /** The audit actor, when a person (not an operator's CLI) asked for the import. */
  readonly actor?: { readonly id: string | null; readonly subject: string | null };
  readonly requestId?: string;
  /**
   * The caller writes the import's audit event itself (with the counts and hash of the result),
   * as the approval of a staged import does: one mutation, one event.
   */
  readonly auditedByCaller?: boolean;
}

export interface ImportResult {
  readonly status: 'applied' | 'unchanged';
  readonly sequence: number;
  readonly snapshotHash: string;
  readonly people: number;
  readonly orgUnits: number;
  /** People in the org before who are missing from this snapshot, now kept as inactive. */
  readonly deactivated: number;
}

/** A snapshot that cannot be applied; `problems` names the offending records. */
export class OrgSnapshotRejected extends Error {
  override readonly name = 'OrgSnapshotRejected';
  constructor(readonly problems: readonly string[]) {
    super(`Org snapshot rejected:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Serialises imports across gateway replicas and CLIs (pg_advisory_xact_lock key). */
const IMPORT_LOCK_KEY = 0x0b1_0a6;

export async function importOrgSnapshot(
  db: Database,
  input: OrgSnapshot | string,
  options: ImportOptions,
): Promise<ImportResult> {
  const snapshot = parseSnapshot(typeof input === 'string' ? input : JSON.stringify(input));
  const snapshotHash = hashSnapshot(snapshot);
  const unchanged = checkSequence(await currentImport(db), snapshot.sequence, snapshotHash);
  if (unchanged) return unchanged;

  const problems = findSnapshotProblems(snapshot);
  if (problems.length > 0) throw new OrgSnapshotRejected(problems);

  return db.transaction(async (tx) => {
    await tx.execute(sqlAdvisoryLock());
    // Another importer may have landed while this one validated: decide again under the lock.
    const again = checkSequence(await currentImport(tx), snapshot.sequence, snapshotHash);
    if (again) return again;
    const applied = await applySnapshot(tx, snapshot).catch((error: unknown) => {
      throw error instanceof SnapshotConflict ? new OrgSnapshotRejected(error.problems) : error;
    });
    const result: ImportResult = { status: 'applied', sequence: snapshot.sequence, snapshotHash, ...applied };
    await tx.insert(orgImports).values({
      sequence: snapshot.sequence,
      generatedAt: new Date(snapshot.generatedAt),
      snapshotHash,
      peopleCount: applied.people,
      orgUnitCount: applied.orgUnits,
      deactivatedCount: applied.deactivated,
      source: options.source,
    });
    if (options.auditedByCaller) return result;
    await appendAuditEvent(tx, {
      actorId: options.actor?.id ?? null,
      actorSubject: options.actor?.subject ?? `operator:${options.source}`,
      action: 'org.import',
      subjectType: 'OrgSnapshot',
      subjectId: String(snapshot.sequence),
      decision: 'ALLOW',
      requestId: options.requestId ?? null,
      details: { ...applied, sequence: snapshot.sequence, snapshotHash, source: options.source },
    });
    return result;
  });
}

function sqlAdvisoryLock() {
  return sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`;
}

/** The hash of the parsed snapshot, so that formatting does not change it. */
function hashSnapshot(snapshot: OrgSnapshot): string {
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex');
}

function parseSnapshot(text: string): OrgSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OrgSnapshotRejected([`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = orgSnapshot.safeParse(json);
  if (!parsed.success) throw new OrgSnapshotRejected(describeSchemaIssues(parsed.error, json));
  return parsed.data;
}

/** Names the record an issue is about by its id when it has one ("people[3] (p-7).email: …"). */
function describeSchemaIssues(error: z.ZodError, json: unknown): string[] {
  return error.issues.slice(0, 50).map((issue) => {
    const [list, index, ...rest] = issue.path;
    if ((list === 'people' || list === 'orgUnits') && typeof index === 'number') {
      const record = (json as Record<string, unknown[]>)[list]?.[index] as { id?: unknown } | undefined;
      const named = typeof record?.id === 'string' ? ` (${record.id})` : '';
      return `${list}[${index}]${named}${rest.length ? `.${rest.join('.')}` : ''}: ${issue.message}`;
    }
    return `${issue.path.length ? issue.path.join('.') : 'snapshot'}: ${issue.message}`;
  });
}

async function currentImport(executor: Executor) {
  const [row] = await executor.select().from(orgImports).orderBy(desc(orgImports.sequence)).limit(1);
  return row;
}

/** Returns the no-op result for a repeated snapshot, throws for an older one, else undefined. */
function checkSequence(
  current: typeof orgImports.$inferSelect | undefined,
  sequence: number,
  snapshotHash: string,
): ImportResult | undefined {
  if (!current || sequence > current.sequence) return undefined;
  if (sequence < current.sequence) {
    throw new OrgSnapshotRejected([
      `sequence ${sequence} is older than sequence ${current.sequence} in force; sequences must not go backwards`,
    ]);
  }
  if (snapshotHash !== current.snapshotHash) {
    throw new OrgSnapshotRejected([
      `sequence ${sequence} is already in force with different content (hash ${current.snapshotHash.slice(0, 12)}…); a changed snapshot needs a new sequence`,
    ]);
  }
  return {
    status: 'unchanged',
    sequence,
    snapshotHash,
    people: current.peopleCount,
    orgUnits: current.orgUnitCount,
    deactivated: 0,
  };
}
