/**
 * The issuer's signing keys, held in memory.
 *
 * Why not jose's createRemoteJWKSet: once its cache is older than `cacheMaxAge` it forces a
 * reload, and when that reload fails every verification fails. DESIGN §2 wants the opposite
 * during an IdP outage: keep verifying against the last good key set for up to `maxStaleS`.
 * So we fetch ourselves (fetch-json.ts: timeout, no redirects, size cap), validate
 * (jwks-document.ts), and let jose's createLocalJWKSet pick the key for each token (kid/alg
 * matching, several-matches error).
 *
 * When we fetch:
 * - lazily, on first use: concurrent callers share the one in-flight fetch (cold-start herd);
 * - in the background, every `refreshIntervalMs` (an unref'ed timer) and, because timers and
 *   injected clocks drift apart, also when a request finds the set older than that
 *   (stale-while-revalidate: the request is served by the held set meanwhile);
 * - on an unknown `kid` (a key the issuer has just published), at most once per `cooldownMs`,
 *   so a flood of random kids costs one fetch per cooldown;
 * - with no usable set held, at most once per `retryMs`; callers in between get
 *   KeySetUnavailableError (503) with the seconds until the next attempt.
 * A failed fetch never replaces the held set. An unknown kid while the issuer is down stays a
 * 401 (`unknown_key`): the held set is usable, the kid is just not in it.
 *
 * Figures (defaults): a key withdrawn by the issuer is honoured for at most
 * refreshIntervalMs (5 min) plus one fetch; a newly published key is picked up at the
 * latest one cooldown (30 s) after its first token.
 */
import { createLocalJWKSet, errors, type CryptoKey, type FlattenedJWSInput, type JWSHeaderParameters, type LocalJWKSet } from 'jose';
import { IssuerFetchError, KeySetUnavailableError, type IssuerFetchReason } from './errors.ts';
import { fetchJson, fetchLimits, type FetchLimits } from './fetch-json.ts';
import { usableSigningKeys } from './jwks-document.ts';

export interface KeySetOptions {
  /** The JWKS URL; called at each load, so discovery can run lazily on the first. */
  readonly resolveUrl: () => Promise<URL>;
  /** Signature algorithms accepted; keys announcing another `alg` are dropped. */
  readonly algorithms: readonly string[];
  /** How long after the last successful fetch the held keys may still be used. */
  readonly maxStaleS: number;
  /** Fetch implementation, timeout and body cap for the JWKS request (fetch-json.ts defaults). */
  readonly limits?: Partial<FetchLimits>;
  /** Clock in epoch milliseconds; injected by tests. */
  readonly now?: () => number;
  readonly refreshIntervalMs?: number;
  readonly cooldownMs?: number;
  readonly retryMs?: number;
  /** Run the periodic refresh timer (default true). */
  readonly backgroundRefresh?: boolean;
}

/** What readiness and metrics may show about the key set. Times are epoch milliseconds. */
export interface KeySetState {
  readonly usable: boolean;
  readonly keyCount: number;
  readonly lastSuccessAt: number | undefined;
  readonly lastAttemptAt: number | undefined;
  readonly ageS: number | undefined;
  /** Fetch attempts, successful ones, failed ones. */
  readonly fetches: number;
  readonly refreshes: number;
  readonly failures: number;
  readonly lastFailure: IssuerFetchReason | undefined;
}

export interface IssuerKeySet {
  /** A key resolver for jose's jwtVerify. Throws KeySetUnavailableError or jose's key-set errors. */
  getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey>;
  /** Fetches now (or joins the fetch in flight). Rejects with IssuerFetchError; the held set stays. */
  refresh(): Promise<void>;
  /**
   * The set held now, as an identity (each successful fetch holds a new one), or undefined when
   * none is usable: what a cached verification is checked against (auth/verified-tokens.ts).
   */
  current(): object | undefined;
  state(): KeySetState;
  /** Stops the background timer. */
  close(): void;
}

interface HeldSet {
  readonly select: LocalJWKSet;
  readonly keyCount: number;
  readonly fetchedAt: number;
}

const ignore = (): void => undefined;

export function createIssuerKeySet(options: KeySetOptions): IssuerKeySet {
  const now = options.now ?? Date.now;
  const refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const retryMs = options.retryMs ?? 5_000;
  const maxStaleMs = options.maxStaleS * 1000;
  if (!(maxStaleMs >= 0) || !Number.isFinite(maxStaleMs)) throw new TypeError('maxStaleS must be a finite number ≥ 0');
  const limits = fetchLimits(options.limits);

  let held: HeldSet | undefined;
  let inFlight: Promise<void> | undefined;
  let lastAttemptAt: number | undefined;
  let lastFailure: IssuerFetchError | undefined;
  let fetches = 0;
  let refreshes = 0;
  let failures = 0;

  const usable = (set: HeldSet | undefined, at: number): set is HeldSet =>
    set !== undefined && at - set.fetchedAt <= maxStaleMs;
  const sinceAttempt = (at: number): number => (lastAttemptAt === undefined ? Infinity : at - lastAttemptAt);

  async function load(): Promise<void> {
    lastAttemptAt = now();
    fetches += 1;
    try {
      const url = await options.resolveUrl();
      const keys = usableSigningKeys(await fetchJson(url, limits), options.algorithms, url.href);
      held = { select: createLocalJWKSet({ keys }), keyCount: keys.length, fetchedAt: now() };
      refreshes += 1;
      lastFailure = undefined;
    } catch (error) {
      failures += 1;
      lastFailure = error instanceof IssuerFetchError ? error : undefined;
      throw error;
    }
  }

  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function unavailable(at: number): KeySetUnavailableError {
    const waitMs = Math.max(0, retryMs - sinceAttempt(at));
    return new KeySetUnavailableError(Math.max(1, Math.ceil(waitMs / 1000)), { cause: lastFailure });
  }

  /** The set to verify with, fetching first when none is usable (and a fetch is allowed). */
  async function usableSet(): Promise<HeldSet> {
    const at = now();
    if (usable(held, at)) {
      if (at - held.fetchedAt >= refreshIntervalMs && sinceAttempt(at) >= cooldownMs) refresh().catch(ignore);
      return held;
    }
    if (inFlight === undefined && sinceAttempt(at) < retryMs) throw unavailable(at);
    await refresh().catch(ignore);
    const after = now();
    if (usable(held, after)) return held;
    throw unavailable(after);
  }

  async function getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> {
    const current = await usableSet();
    try {
      return await current.select(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // Maybe a key the issuer has just published: look again, at most once per cooldown.
      if (inFlight === undefined && sinceAttempt(now()) < cooldownMs) throw error;
      await refresh().catch(ignore);
      const latest = held;
      if (latest === current || !usable(latest, now())) throw error;
      return latest.select(header, token);
    }
  }

  const timer = options.backgroundRefresh === false ? undefined : setInterval(() => refresh().catch(ignore), refreshIntervalMs);
  timer?.unref();

  return {
    getKey,
    refresh,
    current: () => (usable(held, now()) ? held : undefined),
    state: () => {
      const at = now();
      return {
        usable: usable(held, at),
        keyCount: held?.keyCount ?? 0,
        lastSuccessAt: held?.fetchedAt,
        lastAttemptAt,
        ageS: held === undefined ? undefined : (at - held.fetchedAt) / 1000,
        fetches,
        refreshes,
        failures,
        lastFailure: lastFailure?.reason,
      };
    },
    close: () => clearInterval(timer),
  };
}
