/**
 * A database outage in the middle of a request: the driver error (wrapped by drizzle) is
 * masked as SERVICE_UNAVAILABLE, and the response is a 503 with Retry-After; other failures
 * stay 500-free INTERNAL_SERVER_ERRORs with no details.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolDeadlineError } from '../../../db/pool-gate.ts';
import { maskError } from '../../../errors.ts';
import { unavailableStatusPlugin } from '../../../http/graphql.ts';

const schema = buildSchema(`type Query { down: String, busy: String, bug: String, fine: String }`);
const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432 user=gateway'), { code: 'ECONNREFUSED' });
const rootValue = {
  down: () => {
    throw new DrizzleQueryError('select 1', [], refused);
  },
  busy: () => {
    throw new DrizzleQueryError('select 1', [], new PoolDeadlineError(2000));
  },
  bug: () => {
    throw new TypeError('cannot read x of undefined');
  },
  fine: () => 'ok',
};

let apollo: ApolloServer;
beforeAll(async () => {
  apollo = new ApolloServer({ schema, rootValue, formatError: maskError, plugins: [unavailableStatusPlugin()] });
  await apollo.start();
});
afterAll(() => apollo.stop());

async function run(query: string) {
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
    context: async () => ({}),
  });
  return { status: result.status ?? 200, headers: result.headers, body: result.body.kind === 'complete' ? (JSON.parse(result.body.string) as Record<string, unknown>) : {} };
}

describe('a database that fails during a request', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After and no driver detail', async () => {
    const reply = await run('{ down fine }');
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('5');
    expect(reply.body).toEqual({
      data: { down: null, fine: 'ok' },
      errors: [{ message: 'The database is temporarily unavailable', path: ['down'], extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
    expect(JSON.stringify(reply.body)).not.toMatch(/10\.0\.0\.7|ECONNREFUSED|gateway/);
  });

  it('answers a pool deadline the same way', async () => {
    const reply = await run('{ busy }');
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBeTruthy();
    expect(reply.body.errors).toMatchObject([{ extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
  });

  it('leaves other failures as INTERNAL_SERVER_ERROR in a 200', async () => {
    const reply = await run('{ bug }');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('retry-after')).toBeUndefined();
    expect(reply.body.errors).toEqual([{ message: 'Unexpected error', path: ['bug'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });
});
