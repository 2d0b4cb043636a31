/**
 * Per-principal rate limits (429 + Retry-After, RATE_LIMITED), per-class cost budgets, and CORS
 * for /graphql (listed origins only, preflight, Vary: Origin, never credentials).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from './harness.ts';

const APP = 'https://insights-app.example.com';

let limited: Harness;
let budgeted: Harness;
let cors: Harness;

beforeAll(async () => {
  limited = await startHarness({ rateLimit: { ratePerSecond: 0.5, burst: 3 } });
  budgeted = await startHarness({ costBudgets: { analyst: 0, frontend: 500, service: 0 } });
  cors = await startHarness({ corsOrigins: [APP] });
});
afterAll(async () => {
  await limited?.close();
  await budgeted?.close();
  await cors?.close();
});

describe('request rate per principal', () => {
  it('past the burst: 429, Retry-After, RATE_LIMITED, and nothing run', async () => {
    await limited.token('builder');
    const statuses: number[] = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await limited.post({ query: '{ me { kind } }' }, { persona: 'builder' })).status);
    expect(statuses).toEqual([200, 200, 200]);
    limited.resetCounters();
    const refused = await limited.post({ query: '{ me { kind } }' }, { persona: 'builder' });
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect(limited.counters).toEqual({ executions: 0, resolvers: 0, sql: 0 });
  });

  it('one principal\'s limit leaves the others alone', async () => {
    const other = await limited.post({ query: '{ me { kind } }' }, { persona: 'manager' });
    expect(other.status).toBe(200);
  });

  it('a new token for the same person shares the bucket', async () => {
    const minted = (await (await fetch(`${limited.url}/dev-issuer/token`, { method: 'POST', body: JSON.stringify({ persona: 'builder' }) })).json()) as {
      access_token: string;
    };
    expect(minted.access_token).not.toBe(await limited.token('builder'));
    const again = await limited.post({ query: '{ me { kind } }' }, { token: minted.access_token });
    expect(again.status).toBe(429);
  });
});

describe('cost budget per minute, by class', () => {
  // reports(first: 100) { edges { node { author { id } } } }: 1 + 100 × (1 + 1 + 1) = 301.
  const query = '{ reports(first: 100) { edges { node { author { id } } } } }';

  it('a frontend that spent its budget gets 429 until it refills; an analyst (no budget set) does not', async () => {
    const first = await budgeted.post({ query }, { persona: 'builder' });
    expect(first.status).toBe(200);
    budgeted.resetCounters();
    const second = await budgeted.post({ query }, { persona: 'builder' });
    expect(second.status).toBe(429);
    expect(errorCodes(second)).toEqual(['RATE_LIMITED']);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(budgeted.counters).toEqual({ executions: 0, resolvers: 0, sql: 0 });
    const cheap = await budgeted.post({ query: '{ me { kind } }' }, { persona: 'builder' });
    expect(cheap.status).toBe(200);
    for (let index = 0; index < 3; index += 1) expect((await budgeted.post({ query }, { persona: 'analyst' })).status).toBe(200);
  });
});

describe('CORS on /graphql', () => {
  const preflight = (origin: string) =>
    cors.fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });

  it('a listed origin: its own origin back, Vary: Origin, exposed headers, no credentials', async () => {
    const response = await cors.post({ query: '{ me { kind } }' }, { persona: 'builder', headers: { origin: APP } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(response.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a listed origin\'s refusals carry CORS headers too, so the app can read them', async () => {
    const response = await cors.post({ query: '{ me { kind } }' }, { headers: { origin: APP } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it.each(['https://evil.example.com', `${APP}.evil.example.com`, 'http://insights-app.example.com', 'null'])('an unlisted origin (%s): no CORS headers', async (origin) => {
    const response = await cors.post({ query: '{ me { kind } }' }, { persona: 'builder', headers: { origin } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    const options = await preflight(origin);
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
    expect(options.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('preflight from a listed origin: 204 with methods, headers and max-age, nothing run', async () => {
    cors.resetCounters();
    const response = await preflight(APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-headers')).toContain('apollo-require-preflight');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin.*Access-Control-Request-Method/);
    expect(cors.counters.executions).toBe(0);
  });

  it('a plain OPTIONS says what is allowed', async () => {
    const response = await cors.fetch('/graphql', { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
