/**
 * Usage analytics (DESIGN §7, adoption dashboards): requests per UTC day × operation × client ×
 * role, with error counts and a latency histogram, rolled up in memory and written to
 * `usage_rollups` periodically (USAGE_FLUSH_INTERVAL_S) and at shutdown — never one insert per
 * request on the hot path.
 *
 * - Bounded: operation and client are labels (registered names and KNOWN_CLIENTS, else
 *   `other`), the role is one of a fixed list, and the map holds at most `maxKeys` keys; past
 *   that, new keys fold into (day, other, other, role).
 * - The role of a request is the caller's most privileged role (admin > auditor > analyst >
 *   manager > builder > member; a service's role; `none`), so each request counts once and
 *   totals add up across roles.
 * - Flushing swaps the map for an empty one and writes the old one with upserts that add to
 *   what is stored (db/repositories/usage.ts), so any number of replicas can flush at any time.
 *   A write that fails puts its entries back into the map, to go with the next flush (a DB
 *   outage loses nothing unless the process dies meanwhile).
 */
import { PERSON_ROLES } from '../policies/roles.ts';
import { SERVICE_ROLES } from '../policies/services.ts';
import { operationLabel, OTHER, registeredOr } from './labels.ts';
import type { Logger } from './logger.ts';
import type { RequestSummary } from './request-plugin.ts';
import { addCounts, bucketIndex, emptyCounts, type LatencyCounts } from './usage-histogram.ts';

export const NO_ROLE = 'none';

/** One rollup row's worth: what a flush adds to the stored row of the same key. */
export interface UsageEntry {
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly operation: string;
  readonly client: string;
  readonly role: string;
  requestCount: number;
  errorCount: number;
  durationSumMs: number;
  durationMaxMs: number;
  latencyBuckets: LatencyCounts;
}

/** Most privileged first. */
const ROLE_PRECEDENCE: readonly string[] = [...[...PERSON_ROLES].reverse(), ...SERVICE_ROLES];

export function primaryRole(roles: readonly string[]): string {
  return ROLE_PRECEDENCE.find((role) => roles.includes(role)) ?? NO_ROLE;
}

export interface UsageRecorderOptions {
  readonly operationNames: () => ReadonlySet<string>;
  readonly knownClients: ReadonlySet<string>;
  /** Largest number of keys held between flushes (default 10,000). */
  readonly maxKeys?: number;
  readonly now?: () => Date;
}

export interface UsageRecorder {
  record(summary: RequestSummary): void;
  /** Takes every entry held, leaving the recorder empty. */
  drain(): UsageEntry[];
  /** Adds entries back (a failed write). */
  restore(entries: readonly UsageEntry[]): void;
  size(): number;
}

const keyOf = (entry: Pick<UsageEntry, 'day' | 'operation' | 'client' | 'role'>) =>
  JSON.stringify([entry.day, entry.operation, entry.client, entry.role]);

export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? (() => new Date());
  let entries = new Map<string, UsageEntry>();

  function entryFor(key: Pick<UsageEntry, 'day' | 'operation' | 'client' | 'role'>): UsageEntry {
    let id = keyOf(key);
    let entry = entries.get(id);
    if (entry) return entry;
    if (entries.size >= maxKeys) {
      key = { ...key, operation: OTHER, client: OTHER };
      id = keyOf(key);
      entry = entries.get(id);
      if (entry) return entry;
    }
    entry = { ...key, requestCount: 0, errorCount: 0, durationSumMs: 0, durationMaxMs: 0, latencyBuckets: emptyCounts() };
    entries.set(id, entry);
    return entry;
  }

  function merge(into: UsageEntry, from: UsageEntry): void {
    into.requestCount += from.requestCount;
    into.errorCount += from.errorCount;
    into.durationSumMs += from.durationSumMs;
    into.durationMaxMs = Math.max(into.durationMaxMs, from.durationMaxMs);
    addCounts(into.latencyBuckets, from.latencyBuckets);
  }

  return {
    record(summary) {
      const durationMs = Number.isFinite(summary.durationMs) ? Math.max(0, summary.durationMs) : 0;
      const entry = entryFor({
        day: now().toISOString().slice(0, 10),
        operation: operationLabel(summary.operation, options.operationNames()),
        client: registeredOr(summary.client, options.knownClients),
        role: primaryRole(summary.roles),
      });
      entry.requestCount += 1;
      if (summary.outcome !== 'ok') entry.errorCount += 1;
      entry.durationSumMs += durationMs;
      entry.durationMaxMs = Math.max(entry.durationMaxMs, durationMs);
      const index = bucketIndex(durationMs);
      entry.latencyBuckets[index] = (entry.latencyBuckets[index] ?? 0) + 1;
    },
    drain() {
      const taken = [...entries.values()];
      entries = new Map();
      return taken;
    },
    restore(restored) {
      for (const entry of restored) merge(entryFor(entry), entry);
    },
    size: () => entries.size,
  };
}

export interface UsageFlusherOptions {
  readonly recorder: UsageRecorder;
  /**
   * Writes entries, in batches that are each all or nothing, reporting each batch once it is
   * committed: on a failure only the entries not reported are kept for the next flush.
   */
  readonly write: (entries: readonly UsageEntry[], onWritten: (written: readonly UsageEntry[]) => void) => Promise<void>;
  readonly intervalMs: number;
  readonly logger: Logger;
}

export interface UsageFlusher {
  /** Writes what the recorder holds now; resolves false when the write failed (entries kept). */
  flush(): Promise<boolean>;
  /** Stops the timer and flushes one last time, giving up after `timeoutMs`. */
  stop(timeoutMs: number): Promise<boolean>;
}

export function startUsageFlusher(options: UsageFlusherOptions): UsageFlusher {
  const { recorder, logger } = options;
  let running: Promise<boolean> | undefined;

  async function writeOnce(): Promise<boolean> {
    const entries = recorder.drain();
    if (entries.length === 0) return true;
    const written = new Set<UsageEntry>();
    try {
      await options.write(entries, (batch) => batch.forEach((entry) => written.add(entry)));
      logger.debug('db', 'usage rollups flushed', { keys: entries.length });
      return true;
    } catch (error) {
      const kept = entries.filter((entry) => !written.has(entry));
      recorder.restore(kept);
      logger.warn('db', 'usage rollup flush failed; kept for the next flush', { keys: kept.length, error });
      return false;
    }
  }

  // One flush at a time in this process; a call during a flush waits for it, then flushes again.
  const flush = async (): Promise<boolean> => {
    while (running) await running;
    running = writeOnce().finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => void flush(), options.intervalMs);
  timer.unref();

  return {
    flush,
    async stop(timeoutMs) {
      clearInterval(timer);
      let deadline: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        deadline = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([flush(), timeout]);
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}
