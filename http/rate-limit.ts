/**
 * Rate limits per principal (DESIGN §8, §9): a token bucket of requests per principal, and
 * optionally a per-minute budget of query cost per principal whose size depends on the class of
 * caller (http/query-safety.ts). Over either: 429 RATE_LIMITED with Retry-After.
 *
 * Keys: the person id, the client id of a client-credentials token, or the token subject of a
 * token that maps to nobody. Requests without a valid token never get here: they are refused
 * with 401 while the context is built, before any database work beyond key verification, so no
 * IP-keyed bucket is kept (behind the mesh the peer address is the proxy's; limit anonymous
 * floods at the ingress).
 *
 * Memory is bounded: buckets live in a Map kept in order of last use; a bucket that has been
 * idle long enough to be full again is the same as a new one and is dropped as requests arrive,
 * and past `maxKeys` the least recently used bucket goes.
 */
import { GraphQLError } from 'graphql';
import type { Principal } from '../auth/principal.ts';
import { PRINCIPAL_CLASSES, principalClassOf, type Caller, type PrincipalClass } from './query-safety.ts';

export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many may be taken at once after a pause. */
  readonly burst: number;
  /** Most buckets kept; the least recently used goes first. */
  readonly maxKeys?: number;
  /** Clock in milliseconds (tests). */
  readonly now?: () => number;
}

export type TakeResult = { readonly ok: true; readonly remaining: number } | { readonly ok: false; readonly retryAfterS: number };

interface Bucket {
  tokens: number;
  at: number;
}

const DEFAULT_MAX_KEYS = 50_000;
/** Idle buckets examined per call (amortised clean-up). */
const SWEEP_PER_CALL = 4;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly fullAfterMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new TypeError('a token bucket needs a positive rate and a burst of at least 1');
    this.perMs = options.ratePerSecond / 1000;
    this.fullAfterMs = options.burst / this.perMs;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.now = options.now ?? Date.now;
  }

  /** Buckets held (tests, metrics). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes `amount` tokens from `key`'s bucket, or says how long until they are there. */
  take(key: string, amount = 1): TakeResult {
    const now = this.now();
    this.sweep(now);
    const held = this.buckets.get(key);
    const bucket: Bucket = held ? { tokens: Math.min(this.options.burst, held.tokens + (now - held.at) * this.perMs), at: now } : { tokens: this.options.burst, at: now };
    // Re-inserted so that the Map stays in order of last use.
    if (held) this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    // More than a full bucket can never be had at once: such a take empties a full bucket.
    const needed = Math.min(amount, this.options.burst);
    if (bucket.tokens >= needed) {
      bucket.tokens -= needed;
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    }
    const missing = needed - bucket.tokens;
    return { ok: false, retryAfterS: Math.max(1, Math.ceil(missing / this.perMs / 1000)) };
  }

  private sweep(now: number): void {
    let examined = 0;
    for (const [key, bucket] of this.buckets) {
      if (examined++ >= SWEEP_PER_CALL || now - bucket.at < this.fullAfterMs) return;
      this.buckets.delete(key);
    }
  }
}

/** 429 RATE_LIMITED with Retry-After (DESIGN §9). */
export class RateLimitedError extends GraphQLError {
  constructor(retryAfterS: number, message = 'Too many requests; retry later') {
    super(message, {
      extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map([['retry-after', String(retryAfterS)]]) } },
    });
  }
}

/** The bucket key of a principal: never a value the caller can vary freely within one token. */
export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'person':
      return `person:${principal.person.id}`;
    case 'client':
      return `client:${principal.clientId}`;
    case 'unknown':
      return `subject:${principal.token.subject}`;
  }
}

export interface RequestRateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly maxKeys?: number;
  readonly now?: () => number;
}

/**
 * Wraps the context factory (http/context.ts): once the principal is known, each request takes
 * one token from its bucket or is refused with 429 before any GraphQL work. Thrown from the
 * context, the refusal is logged and counted by http/graphql.ts like a 401.
 */
export function rateLimitedContext<Args extends unknown[], Context extends { readonly principal: Principal }>(
  build: (...args: Args) => Promise<Context>,
  limit: RequestRateLimit | TokenBuckets,
): (...args: Args) => Promise<Context> {
  const buckets = limit instanceof TokenBuckets ? limit : new TokenBuckets(limit);
  return async (...args) => {
    const context = await build(...args);
    const verdict = buckets.take(principalKey(context.principal));
    if (!verdict.ok) throw new RateLimitedError(verdict.retryAfterS);
    return context;
  };
}

/** Cost units per minute per principal, by class; 0 turns the budget off for that class. */
export type CostBudgets = Readonly<Record<PrincipalClass, number>>;

export const DEFAULT_COST_BUDGETS: CostBudgets = Object.freeze({ analyst: 200_000, frontend: 200_000, service: 600_000 });

/**
 * Per-minute cost budgets, charged by the cost plugin (query-safety.ts `charge`) with the cost
 * of each operation about to run. One bucket set per class, refilled continuously at
 * budget/60 per second, holding at most one minute's budget.
 */
export function costBudgets(budgets: CostBudgets, options: { maxKeys?: number; now?: () => number } = {}) {
  const perClass = new Map<PrincipalClass, TokenBuckets>();
  for (const principalClass of PRINCIPAL_CLASSES) {
    const perMinute = budgets[principalClass];
    if (perMinute > 0) perClass.set(principalClass, new TokenBuckets({ ratePerSecond: perMinute / 60, burst: perMinute, ...options }));
  }
  return {
    /** Throws RateLimitedError when the caller's budget for this minute cannot pay `cost`. */
    charge(caller: Caller, cost: number, principalClass: PrincipalClass = principalClassOf(caller)): void {
      const buckets = perClass.get(principalClass);
      if (!buckets || cost <= 0) return;
      const verdict = buckets.take(principalKey(caller.principal), cost);
      if (!verdict.ok) throw new RateLimitedError(verdict.retryAfterS, 'Query cost budget for this minute is spent; retry later');
    },
  };
}
