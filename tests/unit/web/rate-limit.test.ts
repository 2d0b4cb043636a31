/** Token buckets (http/rate-limit.ts) on a fake clock: refill, Retry-After, bounded memory. */
import { describe, expect, it } from 'vitest';
import { costBudgets, principalKey, RateLimitedError, TokenBuckets } from '../../../http/rate-limit.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBuckets', () => {
  it('allows the burst, then the rate, and says how long to wait', () => {
    const time = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 20, burst: 40, now: time.now });
    for (let index = 0; index < 40; index += 1) expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterS: 1 });
    time.advance(50);
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
    time.advance(1000);
    for (let index = 0; index < 20; index += 1) expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.take('b').ok).toBe(true);
  });

  it('rounds Retry-After up to whole seconds', () => {
    const time = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 0.25, burst: 1, now: time.now });
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterS: 4 });
    time.advance(3500);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterS: 1 });
  });

  it('a take larger than the bucket empties a full bucket rather than never passing', () => {
    const time = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 100, now: time.now });
    expect(buckets.take('a', 500).ok).toBe(true);
    expect(buckets.take('a', 1)).toEqual({ ok: false, retryAfterS: 1 });
    expect(buckets.take('a', 500)).toEqual({ ok: false, retryAfterS: 10 });
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const time = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 2, maxKeys: 100, now: time.now });
    for (let index = 0; index < 1000; index += 1) buckets.take(`k${index}`);
    expect(buckets.size).toBe(100);
  });

  it('drops idle buckets as requests arrive (a full bucket is the same as none)', () => {
    const time = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 20, now: time.now });
    for (let index = 0; index < 50; index += 1) buckets.take(`k${index}`);
    expect(buckets.size).toBe(50);
    time.advance(2001);
    for (let index = 0; index < 20; index += 1) buckets.take('busy');
    expect(buckets.size).toBeLessThan(5);
  });

  it('refuses a meaningless configuration', () => {
    expect(() => new TokenBuckets({ ratePerSecond: 0, burst: 10 })).toThrow(TypeError);
    expect(() => new TokenBuckets({ ratePerSecond: 1, burst: 0 })).toThrow(TypeError);
  });
});

describe('keys and budgets', () => {
  const token = { subject: 'someone@example.com' } as never;
  it('keys by person, client or token subject', () => {
    expect(principalKey({ kind: 'person', token, person: { id: 'p-1' } as never })).toBe('person:p-1');
    expect(principalKey({ kind: 'client', token, clientId: 'dashboard-service' })).toBe('client:dashboard-service');
    expect(principalKey({ kind: 'unknown', token })).toBe('subject:someone@example.com');
  });

  it('charges cost per class and throws 429 RATE_LIMITED with Retry-After', () => {
    const time = clock();
    const budgets = costBudgets({ analyst: 0, frontend: 600, service: 6000 }, { now: time.now });
    const caller = { principal: { kind: 'person', token, person: { id: 'p-1' } as never } as const, viewer: { kind: 'nobody' } as const };
    budgets.charge(caller, 400, 'frontend');
    let thrown: unknown;
    try {
      budgets.charge(caller, 400, 'frontend');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RateLimitedError);
    const extensions = (thrown as RateLimitedError).extensions as { code: string; http: { status: number; headers: Map<string, string> } };
    expect(extensions.code).toBe('RATE_LIMITED');
    expect(extensions.http.status).toBe(429);
    expect(extensions.http.headers.get('retry-after')).toBe('20');
    expect(() => budgets.charge(caller, 10_000, 'analyst')).not.toThrow();
    time.advance(20_000);
    expect(() => budgets.charge(caller, 400, 'frontend')).not.toThrow();
  });
});
