/**
 * Generates reports for an org snapshot, deterministically for a seed, and inserts them.
 *
 * Reports look like what builders write: mostly authored by active Builder Relations people, in
 * every status and sensitivity, spread over the past year. The org unit is the author's unit,
 * as the API sets it at creation.
 */
import type { DatabaseHandle, Executor, Transaction } from '../client.ts';
import { reports, type NewReportRow } from '../schema.ts';
import { BUILDER_RELATIONS_KIND, type OrgSnapshot, type PersonRecord } from '../../org/snapshot.ts';
import { BODY_SENTENCES, CUSTOMER_ACCOUNTS, PRODUCTS, SUMMARY_SENTENCES, TAGS, TITLE_OPENINGS } from './report-text.ts';
import { Random, weightedPicker, type Seed } from './random.ts';

/** A generated report: every column given, so tests and the COPY path need no defaults. */
export type SeedReportRow = Required<NewReportRow>;

export interface GenerateReportsOptions {
  readonly count: number;
  readonly seed: Seed;
  /** The end of the year the reports span; defaults to the snapshot's generatedAt (deterministic). */
  readonly now?: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SPAN_MS = 365 * DAY_MS;
/** The newest report is this old, leaving room for a publication strictly after creation. */
const MIN_AGE_MS = 2 * HOUR_MS;

const STATUS_WEIGHTS = [
  ['PUBLISHED', 50],
  ['DRAFT', 20],
  ['IN_REVIEW', 12],
  ['ARCHIVED', 18],
] as const;
const CONFIDENTIAL_SHARE = 0.25;

/** Who writes reports: Builder Relations people mostly, a few others, and some who have since left. */
const AUTHOR_POOL_WEIGHTS = { builders: 92, others: 6, departed: 2 } as const;

export function generateReports(snapshot: OrgSnapshot, options: GenerateReportsOptions): SeedReportRow[] {
  return [...reportStream(snapshot, options)];
}

/**
 * The same rows as generateReports, one at a time: a million reports can go to the database
 * without being held in memory together.
 */
export function reportStream(snapshot: OrgSnapshot, options: GenerateReportsOptions): Iterable<SeedReportRow> {
  if (!Number.isSafeInteger(options.count) || options.count < 0) throw new RangeError(`count must be a non-negative integer, got ${options.count}`);
  return generateRows(snapshot, options);
}

function* generateRows(snapshot: OrgSnapshot, options: GenerateReportsOptions): Generator<SeedReportRow> {
  if (options.count === 0) return;
  const random = new Random(options.seed);
  const now = (options.now ?? new Date(snapshot.generatedAt)).getTime();
  const pickAuthor = authorPicker(snapshot, random);
  for (let index = 0; index < options.count; index++) yield generateReport(random, pickAuthor(), now);
}

function generateReport(random: Random, author: PersonRecord, now: number): SeedReportRow {
  const status = random.weightedPick(STATUS_WEIGHTS);
  const createdAt = now - MIN_AGE_MS - Math.floor(random.next() * (SPAN_MS - MIN_AGE_MS));
  const age = now - createdAt;
  let publishedAt: number | null = null;
  let updatedAt = createdAt + Math.floor(random.next() * Math.min(age, 30 * DAY_MS));
  if (status === 'PUBLISHED' || status === 'ARCHIVED') {
    publishedAt = createdAt + HOUR_MS + Math.floor(random.next() * (Math.min(age, 21 * DAY_MS) - HOUR_MS));
    // An archived report was last changed when it was archived, some time after publication.
    updatedAt = status === 'ARCHIVED' ? publishedAt + Math.floor(random.next() * (now - publishedAt)) : publishedAt;
  }
  const account = random.chance(0.4) ? random.pick(CUSTOMER_ACCOUNTS) : null;
  const otherAccounts = pickDistinct(random, CUSTOMER_ACCOUNTS, random.int(0, 2));
  return {
    id: uuidV4(random),
    title: `${random.pick(TITLE_OPENINGS)} ${random.pick(PRODUCTS)}${account ? ` at ${account}` : ''}`,
    summary: pickDistinct(random, SUMMARY_SENTENCES, random.int(1, 2)).join(' '),
    body: paragraphs(random),
    status,
    sensitivity: random.chance(CONFIDENTIAL_SHARE) ? 'CONFIDENTIAL' : 'INTERNAL',
    tags: pickDistinct(random, TAGS, random.int(0, 4)),
    customerAccounts: account ? [...new Set([account, ...otherAccounts])] : otherAccounts,
    authorId: author.id,
    orgUnitId: author.orgUnitId,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    publishedAt: publishedAt === null ? null : new Date(publishedAt),
    reviewNote: null,
  };
}

function authorPicker(snapshot: OrgSnapshot, random: Random): () => PersonRecord {
  const inBuilderRelations = builderRelationsUnits(snapshot);
  const pools = {
    builders: snapshot.people.filter((person) => person.active && inBuilderRelations.has(person.orgUnitId)),
    others: snapshot.people.filter((person) => person.active && !inBuilderRelations.has(person.orgUnitId)),
    departed: snapshot.people.filter((person) => !person.active),
  };
  const available = (Object.keys(pools) as (keyof typeof pools)[]).filter((name) => pools[name].length > 0);
  if (available.length === 0) throw new RangeError('cannot generate reports for an org with no people');
  const pickPool = weightedPicker(available, available.map((name) => AUTHOR_POOL_WEIGHTS[name]));
  // Within a pool some people write far more than others (a cubic skew of uniform weights).
  const pickers = new Map(
    available.map((name) => [name, weightedPicker(pools[name], pools[name].map(() => 0.2 + 4 * random.next() ** 3))]),
  );
  return () => (pickers.get(pickPool(random)) as (random: Random) => PersonRecord)(random);
}

/** Units that are, or sit below, a unit of kind "builder-relations". */
export function builderRelationsUnits(snapshot: OrgSnapshot): Set<string> {
  const byId = new Map(snapshot.orgUnits.map((unit) => [unit.id, unit]));
  const members = new Set<string>();
  for (const unit of snapshot.orgUnits) {
    let current: typeof unit | undefined = unit;
    // Bounded walk: a parent cycle (rejected by the import) must not hang the generator.
    for (let steps = 0; current && steps <= snapshot.orgUnits.length; steps++) {
      if (current.kind === BUILDER_RELATIONS_KIND) {
        members.add(unit.id);
        break;
      }
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
  }
  return members;
}

function paragraphs(random: Random): string {
  const sentences = pickDistinct(random, BODY_SENTENCES, random.int(3, 7));
  const split = random.int(1, sentences.length - 1);
  return `${sentences.slice(0, split).join(' ')}\n\n${sentences.slice(split).join(' ')}`;
}

/** `count` distinct items by rejection: cheaper than a shuffle when count is small. */
function pickDistinct<T>(random: Random, items: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(random.pick(items));
  return [...chosen];
}

/** Two hex digits per byte value: UUIDs are made by the million when seeding audit events. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

const hexHigh = (word: number) => `${HEX_BYTES[word >>> 24]}${HEX_BYTES[(word >>> 16) & 0xff]}`;
const hexLow = (word: number) => `${HEX_BYTES[(word >>> 8) & 0xff]}${HEX_BYTES[word & 0xff]}`;

/** A version 4 UUID from the seeded stream (crypto.randomUUID would break determinism). */
export function uuidV4(random: Random): string {
  const first = random.uint32();
  const second = ((random.uint32() & 0xffff0fff) | 0x00004000) >>> 0; // version nibble: 4
  const third = ((random.uint32() & 0x3fffffff) | 0x80000000) >>> 0; // variant bits: 10
  const fourth = random.uint32();
  return `${hexHigh(first)}${hexLow(first)}-${hexHigh(second)}-${hexLow(second)}-${hexHigh(third)}-${hexLow(third)}${hexHigh(fourth)}${hexLow(fourth)}`;
}

export interface InsertReportsOptions {
  /** Rows per INSERT statement; 1000 rows × 14 columns stays far below PostgreSQL's 65,535 parameters. */
  readonly chunkSize?: number;
}

/**
 * Inserts reports with multi-row INSERTs, all in one transaction (a failed seed leaves nothing).
 *
 * This is the portable path (PGlite and PostgreSQL, through drizzle, inside a caller's
 * transaction if given one). For millions of rows on PostgreSQL, copyReports (report-writers.ts)
 * streams them through COPY; writeReports there picks by driver.
 */
export async function insertReports(
  db: Executor,
  rows: Iterable<NewReportRow>,
  options: InsertReportsOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 1000;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  let inserted = 0;
  let chunk: NewReportRow[] = [];
  const flush = async (tx: Transaction) => {
    await tx.insert(reports).values(chunk);
    inserted += chunk.length;
    chunk = [];
  };
  const iterator = rows[Symbol.iterator]();
  let next = iterator.next();
  // No transaction for nothing: an empty seed sends no statement.
  if (next.done) return 0;
  await db.transaction(async (tx) => {
    for (; !next.done; next = iterator.next()) {
      chunk.push(next.value);
      if (chunk.length === chunkSize) await flush(tx);
    }
    if (chunk.length > 0) await flush(tx);
  });
  return inserted;
}

/** Writes generated reports all or nothing and returns how many; writeReports (report-writers.ts) is one. */
export type ReportWriter = (database: DatabaseHandle, rows: Iterable<SeedReportRow>) => Promise<number>;
