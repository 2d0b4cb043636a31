/**
 * The raw baseline: what the gateway's work costs with nothing around it. A bare `node:http`
 * handler that verifies the same bearer token with jose (the gateway's issuer, JWKS over HTTP)
 * and replays the exact statements the gateway sent for one request (captured by
 * BENCH_SQL_CAPTURE_FILE) through postgres.js, then answers with every statement's rows as
 * JSON, as a hand-written endpoint would (serialising what was fetched is part of the work).
 *
 * `node --import tsx bench/raw-server.ts <json config>`; prints "listening <port>" when ready.
 */
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import postgres from 'postgres';
import { plannedPerExecution, readStatementRoutes, type ReplayStatement } from './statements.ts';

export interface RawServerConfig {
  readonly databaseUrl: string;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly audience: string;
  readonly poolMax: number;
  readonly prepare: boolean;
  readonly planCacheMode: 'auto' | 'force_custom_plan';
  /** Statements per route key (`/<key>`), as captured from the gateway. */
  readonly statementsFile: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RawServerConfig;
const routes = await readStatementRoutes(config.statementsFile);
// The gateway's statement timeout, so an overloaded baseline sheds work as the gateway does.
const sql = postgres(config.databaseUrl, {
  max: config.poolMax,
  prepare: config.prepare,
  onnotice: () => {},
  connection: { statement_timeout: 30_000, plan_cache_mode: config.planCacheMode },
});
const keys = createRemoteJWKSet(new URL(config.jwksUri));

async function replay(statements: readonly ReplayStatement[]): Promise<unknown[][]> {
  const results: unknown[][] = [];
  for (const statement of statements) results.push([...(await sql.unsafe(statement.sql, statement.params as never[], { prepare: config.prepare && !plannedPerExecution(statement) }))]);
  return results;
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const statements = routes.get((request.url ?? '/').slice(1));
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!statements) return answer(404, { error: 'unknown route' });
    if (!token) return answer(401, { error: 'no token' });
    jwtVerify(token, keys, { issuer: config.issuer, audience: config.audience, algorithms: ['RS256'] })
      .then(() => replay(statements))
      .then((results) => answer(200, { data: { rows: results.reduce((total, result) => total + result.length, 0), results } }))
      .catch((error: unknown) => answer(error instanceof Error && error.name.startsWith('JW') ? 401 : 500, { error: String(error) }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void sql.end({ timeout: 1 }).then(() => process.exit(0));
});
