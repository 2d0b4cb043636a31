import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createPoolGate, gatePostgresClient, PoolDeadlineError } from '../../../db/pool-gate.ts';
import { isDatabaseUnavailable } from '../../../db/unavailable.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('the pool gate', () => {
  it('lets `size` callers in, queues the rest in order, and counts them', async () => {
    const gate = createPoolGate({ size: 2, acquireTimeoutMs: 1000 });
    const release = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const runs = release.map((held, index) => gate.run(async () => (order.push(index), held.promise)));
    await sleep(5);
    expect(gate.stats()).toMatchObject({ size: 2, inUse: 2, waiting: 1, timeouts: 0 });
    release[0]?.resolve();
    await sleep(5);
    expect(order).toEqual([0, 1, 2]);
    expect(gate.stats()).toMatchObject({ inUse: 2, waiting: 0 });
    release[1]?.resolve();
    release[2]?.resolve();
    await Promise.all(runs);
    expect(gate.stats()).toMatchObject({ inUse: 0, waiting: 0 });
  });

  it('fails a wait past the deadline with a 503 that says retry, and frees the slot on errors', async () => {
    const gate = createPoolGate({ size: 1, acquireTimeoutMs: 50 });
    const held = deferred();
    const holder = gate.run(() => held.promise);
    const started = Date.now();
    const error = await gate.run(async () => 'never').catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(error).toBeInstanceOf(PoolDeadlineError);
    expect((error as PoolDeadlineError).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', http: { status: 503 } });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(gate.stats()).toMatchObject({ inUse: 1, waiting: 0, timeouts: 1 });
    held.resolve();
    await holder;
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(gate.stats().inUse).toBe(0);
  });

  it('gates a postgres.js-like client: lazy queries on await, modifiers kept, a transaction holds one permit', async () => {
    const gate = createPoolGate({ size: 1, acquireTimeoutMs: 1000 });
    const seen: string[] = [];
    const lazyQuery = (text: string) => {
      const query = {
        then(resolve: (value: unknown) => void, reject: (error: unknown) => void) {
          seen.push(`run ${text} inUse=${gate.stats().inUse}`);
          return Promise.resolve([{ text }]).then(resolve, reject);
        },
        values() {
          seen.push(`values ${text}`);
          return query;
        },
      };
      return query;
    };
    const client = {
      unsafe: (text: string) => lazyQuery(text),
      begin: async (callback: (tx: unknown) => Promise<unknown>) => callback({ unsafe: (text: string) => lazyQuery(text) }),
      options: { parsers: {} },
    };
    const gated = gatePostgresClient(client, gate);
    expect(gated.options).toBe(client.options);
    const query = gated.unsafe('select 1');
    expect(seen).toEqual([]);
    expect(await query.values()).toEqual([{ text: 'select 1' }]);
    expect(seen).toEqual(['values select 1', 'run select 1 inUse=1']);
    const inside = await gated.begin(async (tx) => {
      expect(gate.stats().inUse).toBe(1);
      return (tx as typeof client).unsafe('insert');
    });
    expect(inside).toEqual([{ text: 'insert' }]);
    expect(gate.stats().inUse).toBe(0);
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises connection failures and unavailable SQLSTATEs through wrapping causes', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('Failed query: select 1', { cause: refused });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'CONNECTION_CLOSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '42P01' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('bug'))).toBe(false);
    expect(isDatabaseUnavailable('text')).toBe(false);
  });
});
