/**
 * Generates a year of audit events for an org snapshot, deterministically for a seed, as a
 * stream: two million events are hashed and written one at a time, never held together.
 *
 * The rows form a valid hash chain (db/audit-chain.ts): ids are consecutive from `startId`, the
 * first row links to `prevHash`, every later row to the row before it. To extend the chain of a
 * database, start from its head (writeAuditEvents in audit-writers.ts does, under the chain's
 * lock). Events are spread over the year before `now`, in id order, with the kinds and
 * proportions of audit-event-kinds.ts; actors are the snapshot's people.
 */
import { auditRowHash, GENESIS_HASH } from '../audit-chain.ts';
import type { AuditEventRow } from '../schema.ts';
import type { OrgSnapshot, PersonRecord } from '../../org/snapshot.ts';
import { policyVersion as currentPolicyVersion } from '../../policies/version.ts';
import { EVENT_KINDS, type EventContext } from './audit-event-kinds.ts';
import { Random, weightedPicker, type Seed } from './random.ts';
import { builderRelationsUnits, uuidV4 } from './reports.ts';

export interface GenerateAuditEventsOptions {
  readonly count: number;
  readonly seed: Seed;
  /** The end of the year the events span; defaults to the snapshot's generatedAt (deterministic). */
  readonly now?: Date;
  /** The first event's id (default 1); the others follow one by one. */
  readonly startId?: number;
  /** The hash the first event links to (default GENESIS_HASH: a chain of its own). */
  readonly prevHash?: string;
  /** Reports the report.* events are about (default: fresh ids from the seeded stream). */
  readonly reportIds?: readonly string[];
  /** Recorded on events made through the API (default: the policy version of this code). */
  readonly policyVersion?: string;
}

const SPAN_MS = 365 * 86_400_000;
const ADMINS = 5;
const HASH = /^[0-9a-f]{64}$/;

export function generateAuditEvents(snapshot: OrgSnapshot, options: GenerateAuditEventsOptions): Iterable<AuditEventRow> {
  const { count, startId = 1, prevHash = GENESIS_HASH } = options;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!Number.isSafeInteger(startId) || startId < 1 || !Number.isSafeInteger(startId + count)) {
    throw new RangeError(`startId must be a positive integer leaving room for ${count} ids, got ${startId}`);
  }
  if (!HASH.test(prevHash)) throw new RangeError('prevHash must be a SHA-256 hex digest');
  if (count > 0 && snapshot.people.length === 0) throw new RangeError('cannot generate audit events for an org with no people');
  return generateRows(snapshot, { ...options, startId, prevHash });
}

function* generateRows(snapshot: OrgSnapshot, options: GenerateAuditEventsOptions & { startId: number; prevHash: string }): Generator<AuditEventRow> {
  if (options.count === 0) return;
  const random = new Random(options.seed);
  const now = (options.now ?? new Date(snapshot.generatedAt)).getTime();
  const version = options.policyVersion ?? currentPolicyVersion();
  const pickKind = weightedPicker(
    EVENT_KINDS.map(([, build]) => build),
    EVENT_KINDS.map(([weight]) => weight),
  );
  const start = now - SPAN_MS;
  const gap = SPAN_MS / options.count;
  let sequence = 1;
  const context: EventContext & { at: number } = {
    random,
    ...actorPools(snapshot, random),
    reportId: options.reportIds && options.reportIds.length > 0 ? pickFrom(random, options.reportIds) : () => uuidV4(random),
    uuid: () => uuidV4(random),
    at: start,
    nextSequence: () => sequence++,
  };
  let previous = options.prevHash;
  for (let index = 0; index < options.count; index++) {
    // Strictly inside its own slot of the year: times never go back as ids go up.
    context.at = start + Math.floor((index + random.next()) * gap);
    const draft = pickKind(random)(context);
    const viaApi = draft.actor !== null;
    const row: AuditEventRow = {
      id: options.startId + index,
      occurredAt: new Date(context.at),
      actorId: draft.actor?.id ?? null,
      actorSubject: draft.actor?.email ?? draft.operator ?? null,
      action: draft.action,
      subjectType: draft.subjectType,
      subjectId: draft.subjectId,
      decision: draft.decision,
      reason: draft.reason,
      requestId: viaApi ? uuidV4(random) : null,
      traceId: null,
      policyVersion: viaApi ? version : null,
      details: draft.details,
      hash: null,
      prevHash: previous,
    };
    row.hash = auditRowHash(row);
    previous = row.hash;
    yield row;
  }
}

type ActorPools = Pick<EventContext, 'builder' | 'manager' | 'admin' | 'outsider' | 'anyone'>;

/** Who does what; a pool that is empty in a small org falls back to any active person. */
function actorPools(snapshot: OrgSnapshot, random: Random): ActorPools {
  const inBuilderRelations = builderRelationsUnits(snapshot);
  const managerIds = new Set(snapshot.people.map((person) => person.managerId));
  const active = snapshot.people.filter((person) => person.active);
  const anyone = active.length > 0 ? active : snapshot.people;
  const or = (pool: PersonRecord[]) => (pool.length > 0 ? pool : anyone);
  const builders = or(active.filter((person) => inBuilderRelations.has(person.orgUnitId)));
  const outsiders = or(active.filter((person) => !inBuilderRelations.has(person.orgUnitId)));
  const managers = or(active.filter((person) => managerIds.has(person.id)));
  const admins = [...new Set(Array.from({ length: ADMINS }, () => random.pick(outsiders)))];
  return {
    builder: pickFrom(random, builders),
    manager: pickFrom(random, managers),
    admin: pickFrom(random, admins),
    outsider: pickFrom(random, outsiders),
    anyone: pickFrom(random, anyone),
  };
}

function pickFrom<T>(random: Random, items: readonly T[]): () => T {
  return () => random.pick(items);
}
