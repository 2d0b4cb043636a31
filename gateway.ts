/**
 * The composition root: config → logger → database → org → telemetry → schema → Apollo → HTTP.
 * Wiring only; every piece lives in its folder. Nothing imports this file.
 *
 * Start it with tracing registered first (package.json `start`):
 *   node --import tsx --import ./telemetry/register.ts gateway.ts
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { loadDevIssuer } from './auth/dev-issuer.ts';
import { devIssuerUrl } from './auth/dev-personas.ts';
import { createTokenVerifier, type TokenVerifier } from './auth/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/client.ts';
import { applyMigrations } from './db/migrations.ts';
import { auditHead, databaseReadinessChecks, orgInForce } from './db/readiness.ts';
import { activeBreakGlassSessions } from './db/repositories/governance.ts';
import { addUsage } from './db/repositories/usage.ts';
import { loadDemoData } from './db/seed/load-demo.ts';
import { maskError } from './errors.ts';
import { createAuthenticate } from './http/authenticate.ts';
import { breakGlassAuditPlugin } from './http/break-glass-plugin.ts';
import { errorReportingPlugin } from './http/error-plugin.ts';
import { createContextFactory } from './http/context.ts';
import { withCors } from './http/cors.ts';
import { devIssuerRoutes } from './http/dev-issuer.ts';
import { createGraphQLHandler, requestStartOf, unavailableStatusPlugin } from './http/graphql.ts';
import { DEFAULT_REGISTRY_FILE, loadRegistry, persistedQueries, trustedDocumentsPlugin } from './http/persisted-documents.ts';
import { healthz, readyz } from './http/probes.ts';
import { querySafety, stripSuggestions } from './http/query-safety.ts';
import { costBudgets, rateLimitedContext } from './http/rate-limit.ts';
import { scopePlugin } from './http/scopes.ts';
import { createHttpServer, type Route } from './http/server.ts';
import { importOrgSnapshot, OrgSnapshotRejected } from './org/import.ts';
import type { GatewayContext } from './schema/context.ts';
import { buildGatewaySchema } from './schema/build.ts';
import { chooseExecutor, jitExecution } from './http/jit-execution.ts';
import { refreshing } from './telemetry/cached.ts';
import { countTokenFailures } from './telemetry/log-metrics.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { createMetrics } from './telemetry/metrics.ts';
import { installOperationsRuntime } from './telemetry/operations-runtime.ts';
import { REGISTERED_OPERATIONS } from './telemetry/operations.ts';
import { evaluateReadinessGate } from './telemetry/readiness-gate.ts';
import { requestTelemetryPlugin } from './telemetry/request-plugin.ts';
import { drainOnSignals } from './telemetry/shutdown.ts';
import { currentSqlCount } from './telemetry/sql-counter.ts';
import { shutdownTracing, tracingStatus } from './telemetry/tracing.ts';
import { createUsageRecorder, startUsageFlusher } from './telemetry/usage.ts';
import { graphiqlRoutes } from './web/graphiql.ts';
import { captureStatementsTo } from './telemetry/sql-capture.ts';

/** How often the org data age is read from the database (metrics read the cached value). */
const ORG_AGE_REFRESH_MS = 30_000;
/** How often the audit chain head is read, for the metric and its publication in the log. */
const AUDIT_HEAD_REFRESH_MS = 60_000;
/** Compiled operations kept by the jit executor (a compiled page query is a few tens of kB). */
const JIT_COMPILED_OPERATIONS = 500;
/** Longest each shutdown step may take once requests have drained. */
const CLOSE_STEP_MS = 2000;

async function prepareDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  const database = await openDatabase(config.database, {
    acquireTimeoutMs: config.databaseAcquireTimeoutMs,
    closeTimeoutS: CLOSE_STEP_MS / 1000,
    prepare: config.databasePrepare,
    planCacheMode: config.databasePlanCacheMode,
  });
  if (config.migrateAtStart) await applyMigrations(database);
  if (config.demoData) {
    const outcome = await loadDemoData(database.db);
    logger.info('org', outcome === 'loaded' ? 'demo org and reports loaded' : 'demo data already present');
  }
  if (config.org.snapshotPath) await importSnapshotFile(database, config.org.snapshotPath, logger);
  return database;
}

/** A bad ORG_SNAPSHOT leaves the org in force and is logged; readiness shows if there is none. */
async function importSnapshotFile(database: DatabaseHandle, path: string, logger: Logger): Promise<void> {
  try {
    const result = await importOrgSnapshot(database.db, await readFile(path, 'utf8'), { source: path });
    logger.info('org', `org snapshot ${result.status}`, { ...result });
  } catch (error) {
    if (!(error instanceof OrgSnapshotRejected)) throw error;
    logger.error('org', 'ORG_SNAPSHOT rejected; the org in force is unchanged', { path, problems: error.problems });
  }
}

/** Okta's issuer, or in dev mode the gateway's own, verified over HTTP the same way. */
function createVerifier(config: Config, port: number): TokenVerifier {
  const { auth } = config;
  const issuer = auth.mode === 'dev' ? devIssuerUrl(port) : (auth.issuer as string);
  return createTokenVerifier({
    issuer,
    audience: auth.audience,
    ...(auth.mode === 'okta' && auth.jwksUri ? { jwksUri: auth.jwksUri } : {}),
    clockToleranceS: auth.clockToleranceS,
    allowedClientIds: auth.allowedClientIds,
    jwksMaxStaleS: auth.jwksMaxStaleS,
  });
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/** A URL this process can reach its own listener at (a wildcard bind is reached on loopback). */
function selfUrl(address: AddressInfo, path: string): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${path}`;
}

/** Resolves after `work`, or after `ms` at the latest: one stuck resource must not hold the exit. */
async function within(ms: number, work: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

async function startGateway(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const database = await prepareDatabase(config, logger);
  const devIssuer = config.auth.mode === 'dev' ? await loadDevIssuer({ keyFile: config.auth.devIssuerKeyFile }) : undefined;
  // The verifier needs the bound port in dev mode (the issuer is this server); no request
  // reaches GraphQL before listen() returns, so it exists by then.
  const identity: { verifier?: TokenVerifier } = {};

  const orgGeneratedAt = refreshing(
    async () => (await orgInForce(database.db))?.generatedAt.getTime(),
    ORG_AGE_REFRESH_MS,
    (error) => logger.warn('org', 'org data age could not be read', { error }),
  );
  // DESIGN §6: the chain head is published outside the database (a log line whenever it moved,
  // and a gauge), so a deletion at the tail shows against the last published head.
  let publishedHead: number | undefined;
  const chainHead = refreshing(
    async () => {
      const head = await auditHead(database.db);
      if (head && head.id !== publishedHead) logger.info('audit', 'audit chain head', { id: head.id, hash: head.hash });
      publishedHead = head?.id;
      return head?.id;
    },
    AUDIT_HEAD_REFRESH_MS,
    (error) => logger.warn('audit', 'audit chain head could not be read', { error }),
  );
  // Alertable: an active break-glass session should page the security on-call.
  const breakGlassSessions = refreshing(
    () => activeBreakGlassSessions(database.db),
    ORG_AGE_REFRESH_MS,
    (error) => logger.warn('audit', 'break-glass sessions could not be counted', { error }),
  );
  const knownClients = new Set(config.telemetry.knownClients);
  const operationNames = () => REGISTERED_OPERATIONS;
  const metrics = createMetrics({
    operationNames,
    knownClients,
    observe: {
      orgDataAgeSeconds: () => {
        const generatedAt = orgGeneratedAt.current();
        return generatedAt === undefined ? undefined : Math.max(0, (Date.now() - generatedAt) / 1000);
      },
      dbPool: () => database.pool(),
      auditChainHeadSeq: () => chainHead.current(),
      breakGlassActiveSessions: () => breakGlassSessions.current(),
      jwksKeySetAgeSeconds: () => identity.verifier?.keySet.state().ageS,
      jwksFetchTotals: () => {
        const state = identity.verifier?.keySet.state();
        return state && { ok: state.refreshes, error: state.failures };
      },
    },
  });
  const usage = createUsageRecorder({ operationNames, knownClients });
  const usageFlusher = startUsageFlusher({
    recorder: usage,
    write: (entries, onWritten) => addUsage(database.db, entries, onWritten),
    intervalMs: config.telemetry.usageFlushIntervalS * 1000,
    logger,
  });

  // Query safety (issue 8): shape limits, cost per class of caller, trusted documents.
  const registry = await loadRegistry(config.graphql.operationsRegistry ?? DEFAULT_REGISTRY_FILE);
  const budgets = costBudgets(config.graphql.costBudgets);
  const safety = querySafety<GatewayContext>({ limits: config.graphql.limits, exposeLimits: !config.production, charge: budgets.charge });

  const schema = await buildGatewaySchema();
  const executor = chooseExecutor(config.graphql.executor, tracingStatus().enabled);
  const apollo = new ApolloServer<GatewayContext>({
    ...(executor === 'jit' ? { gateway: jitExecution(schema, { maxCompiled: JIT_COMPILED_OPERATIONS }) } : { schema }),
    // hideSchemaDetailsFromClientErrors misses variable-coercion errors (apollo-server #8086).
    formatError: config.production ? (formatted, error) => stripSuggestions(maskError(formatted, error)) : maskError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    // Apollo 5's defaults, stated: no HTTP batching (SECURITY-CATALOG C6), CSRF prevention (C9).
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Every /graphql caller is authenticated (401 first); Apollo would otherwise turn it off
    // whenever NODE_ENV=production, and GraphiQL with it.
    introspection: config.graphql.introspection,
    parseOptions: safety.parseOptions,
    validationRules: safety.validationRules,
    persistedQueries: persistedQueries(registry, { maxEntries: config.graphql.apqCacheEntries }),
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      unavailableStatusPlugin(),
      requestTelemetryPlugin<GatewayContext>({
        logger,
        metrics,
        requestId: (context) => context.requestId,
        describePrincipal: ({ principal, viewer }) => ({
          id: principal.kind === 'person' ? principal.person.id : principal.kind === 'client' ? principal.clientId : undefined,
          roles: viewer.kind === 'nobody' ? [] : [...viewer.roles],
        }),
        sqlStatements: () => currentSqlCount() ?? 0,
        startedAt: (context) => requestStartOf(context),
        onRequest: (summary) => usage.record(summary),
      }),
      scopePlugin(),
      trustedDocumentsPlugin<GatewayContext>({ mode: config.graphql.trustedDocuments, registry }),
      ...safety.plugins,
      breakGlassAuditPlugin(),
      errorReportingPlugin(logger),
    ],
  });
  await apollo.start();

  let draining = false;
  let refusing = false;
  let port = config.http.port;
  if (config.bench.sqlCaptureFile) captureStatementsTo(config.bench.sqlCaptureFile);
  if (config.bench.allowAll) logger.warn('policy', 'BENCH_ALLOW_ALL: authorization conditions are off (benchmark only)');
  const graphql = createGraphQLHandler({
    apollo,
    maxBodyBytes: config.http.maxBodyBytes,
    context: rateLimitedContext(
      createContextFactory({
        db: database.db,
        authenticate: createAuthenticate(() => identity.verifier as TokenVerifier, countTokenFailures(logger, metrics)),
        logger,
        allowAll: config.bench.allowAll,
        limits: config.graphql.answerLimits,
      }),
      config.graphql.rateLimit,
    ),
    telemetry: { logger, metrics },
  });
  const metricsRoute: [string, Route] = ['/metrics', { methods: ['GET'], handler: async (request, response) => metrics.handler(request, response) }];
  const routes = new Map<string, Route>([
    ['/healthz', { methods: ['GET', 'HEAD'], handler: healthz }],
    ['/readyz', { methods: ['GET', 'HEAD'], handler: readyz(databaseReadinessChecks(database), () => draining) }],
    ['/graphql', withCors({ methods: ['GET', 'POST'], handler: graphql }, { origins: config.http.corsOrigins })],
    ...(config.graphql.graphiql ? graphiqlRoutes({ devPersonas: config.auth.mode === 'dev' }) : []),
    // With METRICS_PORT, /metrics is served there only (off the mesh), not on the main port.
    ...(config.http.metricsPort === undefined ? [metricsRoute] : []),
    ...(devIssuer ? devIssuerRoutes(devIssuer, () => devIssuerUrl(port), config.auth.audience) : []),
  ]);
  const server = createHttpServer(routes, logger, { refusing: () => refusing });
  const metricsServer = config.http.metricsPort === undefined ? undefined : createHttpServer(new Map([metricsRoute]), logger);
  const address = await listen(server, config.http.port, config.http.host);
  const metricsAddress = metricsServer ? await listen(metricsServer, config.http.metricsPort as number, config.http.host) : address;
  port = address.port;
  identity.verifier = createVerifier(config, port);
  if (config.auth.mode === 'okta') {
    // Warm the key set, so the first request does not wait for discovery; a failure is retried on use.
    identity.verifier.keySet.refresh().catch(() => logger.warn('auth', 'the issuer key set could not be fetched at start'));
  }
  installOperationsRuntime({
    evaluateReadiness: () =>
      evaluateReadinessGate({
        authMode: config.auth.mode,
        issuer: config.auth.issuer,
        keySet: config.auth.mode === 'okta' ? identity.verifier?.keySet : undefined,
        orgMaxAgeS: config.org.maxAgeS,
        database,
        tracing: tracingStatus(),
        metricsUrl: selfUrl(metricsAddress, '/metrics'),
      }),
  });
  drainOnSignals({
    server,
    delayS: config.shutdown.delayS,
    drainS: config.shutdown.drainS,
    logger,
    beginDraining: () => (draining = true),
    stopAccepting: () => (refusing = true),
    closeResources: async () => {
      identity.verifier?.close();
      orgGeneratedAt.stop();
      chainHead.stop();
      breakGlassSessions.stop();
      installOperationsRuntime(undefined);
      await within(CLOSE_STEP_MS, () => apollo.stop());
      // Every request has finished: the last rollups go out before the pool closes.
      await usageFlusher.stop(CLOSE_STEP_MS);
      if (metricsServer) {
        metricsServer.closeAllConnections();
        await within(CLOSE_STEP_MS, () => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
      }
      await within(CLOSE_STEP_MS + 500, () => database.close());
      await within(CLOSE_STEP_MS, () => metrics.shutdown());
      await shutdownTracing(CLOSE_STEP_MS);
    },
  });
  // Announced only once the signal handlers are in place: a SIGTERM right after this line drains.
  logger.info('gateway', 'listening', {
    port,
    address: address.address,
    metricsPort: metricsAddress.port,
    authMode: config.auth.mode,
    database: database.driver,
    tracing: tracingStatus().reason,
    executor,
  });
}

try {
  await startGateway(loadConfig());
} catch (error) {
  // Before the logger exists (config) or when start-up itself fails: one clear line, no stack.
  const message = error instanceof ConfigError ? error.message : `Gateway failed to start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
}
