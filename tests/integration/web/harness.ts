/**
 * An in-process gateway for the query-safety, trusted-document, rate-limit and CORS tests: the
 * real schema, database (PGlite with the demo data), dev issuer, token verifier, context factory
 * and HTTP handler, wired with the modules of issue 8 the way gateway.ts is asked to wire them.
 *
 * It also counts, per request, the fields resolved and the SQL statements sent after the context
 * was built (the principal lookup while building it is the same for every request), so a test
 * can show that a refused document ran nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { type GraphQLFormattedError } from 'graphql';
import { loadDevIssuer } from '../../../auth/dev-issuer.ts';
import { devIssuerUrl } from '../../../auth/dev-personas.ts';
import { createTokenVerifier, type TokenVerifier } from '../../../auth/index.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { maskError } from '../../../errors.ts';
import { createAuthenticate } from '../../../http/authenticate.ts';
import { createContextFactory } from '../../../http/context.ts';
import { withCors } from '../../../http/cors.ts';
import { devIssuerRoutes } from '../../../http/dev-issuer.ts';
import { createGraphQLHandler } from '../../../http/graphql.ts';
import { createRegistry, persistedQueries, trustedDocumentsPlugin, type OperationRegistry, type TrustedDocumentsMode } from '../../../http/persisted-documents.ts';
import { querySafety, stripSuggestions, type QueryLimits } from '../../../http/query-safety.ts';
import { costBudgets, rateLimitedContext, type CostBudgets, type RequestRateLimit } from '../../../http/rate-limit.ts';
import { scopePlugin } from '../../../http/scopes.ts';
import { createHttpServer, type Route } from '../../../http/server.ts';
import type { GatewayContext } from '../../../schema/context.ts';
import { buildGatewaySchema } from '../../../schema/build.ts';
import { createLogger } from '../../../telemetry/logger.ts';
import { currentSqlCount } from '../../../telemetry/sql-counter.ts';
import { graphiqlRoutes } from '../../../web/graphiql.ts';
import { openTestDatabase, type TestDatabase } from '../../support/database.ts';

export interface HarnessOptions {
  readonly production?: boolean;
  readonly trustedDocuments?: TrustedDocumentsMode;
  readonly registry?: OperationRegistry;
  readonly limits?: QueryLimits;
  readonly rateLimit?: RequestRateLimit;
  readonly costBudgets?: CostBudgets;
  readonly corsOrigins?: readonly string[];
}

export interface Counters {
  /** Requests whose execution started. */
  executions: number;
  /** Field resolutions. */
  resolvers: number;
  /** SQL statements sent after the context was built. */
  sql: number;
}

export interface HarnessResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] } | undefined;
}

export interface Harness {
  readonly url: string;
  readonly counters: Counters;
  resetCounters(): void;
  token(persona: string): Promise<string>;
  /** POST /graphql with a JSON body. */
  post(body: unknown, options?: { persona?: string; token?: string; headers?: Record<string, string> }): Promise<HarnessResponse>;
  /** Any request to the server. */
  fetch(path: string, init?: RequestInit): Promise<HarnessResponse>;
  close(): Promise<void>;
}

const AUDIENCE = 'api://builder-insights';

function countingPlugin(counters: Counters): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const sqlAtStart = currentSqlCount() ?? 0;
      return {
        async executionDidStart() {
          counters.executions += 1;
          return {
            willResolveField() {
              counters.resolvers += 1;
            },
          };
        },
        async willSendResponse() {
          counters.sql += (currentSqlCount() ?? 0) - sqlAtStart;
        },
      };
    },
  };
}

async function toResponse(response: Response): Promise<HarnessResponse> {
  const text = await response.text();
  let body: HarnessResponse['body'];
  try {
    body = text ? (JSON.parse(text) as HarnessResponse['body']) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** One demo database for all the harnesses of a test file (PGlite serves one connection). */
let shared: Promise<TestDatabase> | undefined;
let users = 0;

async function demoDatabase(): Promise<TestDatabase> {
  shared ??= (async () => {
    const database = await openTestDatabase('pglite');
    await loadDemoData(database.db);
    return database;
  })();
  users += 1;
  return shared;
}

async function releaseDatabase(): Promise<void> {
  users -= 1;
  if (users > 0 || !shared) return;
  const database = await shared;
  shared = undefined;
  await database.close();
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const production = options.production ?? false;
  const database = await demoDatabase();
  const keyDir = mkdtempSync(join(tmpdir(), 'bi-web-harness-'));
  const devIssuer = await loadDevIssuer({ keyFile: join(keyDir, 'signing-key.json') });
  const logger = createLogger({ level: 'error', stream: new Writable({ write: (_chunk, _encoding, done) => done() }) });
  const counters: Counters = { executions: 0, resolvers: 0, sql: 0 };
  const registry = options.registry ?? createRegistry([]);
  const budgets = options.costBudgets ? costBudgets(options.costBudgets) : undefined;
  const safety = querySafety<GatewayContext>({
    ...(options.limits ? { limits: options.limits } : {}),
    exposeLimits: !production,
    ...(budgets ? { charge: budgets.charge } : {}),
  });

  const apollo = new ApolloServer<GatewayContext>({
    schema: await buildGatewaySchema(),
    formatError: production ? (formatted, error) => stripSuggestions(maskError(formatted, error)) : maskError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    introspection: true,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    parseOptions: safety.parseOptions,
    validationRules: safety.validationRules,
    persistedQueries: persistedQueries(registry),
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      countingPlugin(counters),
      scopePlugin(),
      trustedDocumentsPlugin<GatewayContext>({ mode: options.trustedDocuments ?? 'services', registry }),
      ...safety.plugins,
    ],
  });
  await apollo.start();

  const identity: { verifier?: TokenVerifier } = {};
  let port = 0;
  const baseContext = createContextFactory({
    db: database.db,
    authenticate: createAuthenticate(() => identity.verifier as TokenVerifier, logger),
    logger,
  });
  const graphql = createGraphQLHandler({
    apollo,
    maxBodyBytes: 1024 * 1024,
    context: options.rateLimit ? rateLimitedContext(baseContext, options.rateLimit) : baseContext,
    telemetry: { logger },
  });
  const routes = new Map<string, Route>([
    ['/graphql', withCors({ methods: ['GET', 'POST'], handler: graphql }, { origins: options.corsOrigins ?? [] })],
    ...devIssuerRoutes(devIssuer, () => devIssuerUrl(port), AUDIENCE),
    ...graphiqlRoutes({ devPersonas: !production }),
  ]);
  const server: Server = createHttpServer(routes, logger);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  identity.verifier = createTokenVerifier({
    issuer: devIssuerUrl(port),
    audience: AUDIENCE,
    clockToleranceS: 60,
    allowedClientIds: [],
    jwksMaxStaleS: 3600,
    keySet: { backgroundRefresh: false },
  });
  const url = `http://127.0.0.1:${port}`;
  const tokens = new Map<string, Promise<string>>();

  const token = (persona: string) => {
    let minted = tokens.get(persona);
    if (!minted) {
      minted = fetch(`${url}/dev-issuer/token`, { method: 'POST', body: JSON.stringify({ persona }) })
        .then((response) => response.json() as Promise<{ access_token: string }>)
        .then((body) => body.access_token);
      tokens.set(persona, minted);
    }
    return minted;
  };

  return {
    url,
    counters,
    resetCounters() {
      counters.executions = 0;
      counters.resolvers = 0;
      counters.sql = 0;
    },
    token,
    async post(body, requestOptions = {}) {
      const bearer = requestOptions.token ?? (requestOptions.persona ? await token(requestOptions.persona) : undefined);
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...requestOptions.headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return toResponse(response);
    },
    async fetch(path, init) {
      return toResponse(await fetch(`${url}${path}`, init));
    },
    async close() {
      identity.verifier?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      rmSync(keyDir, { recursive: true, force: true });
      await releaseDatabase();
    },
  };
}

/** The codes of a response's errors, in order. */
export function errorCodes(response: HarnessResponse): unknown[] {
  return (response.body?.errors ?? []).map((error) => error.extensions?.code);
}
