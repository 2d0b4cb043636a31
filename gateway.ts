/**
 * The composition root: config → logger → database → org → schema → Apollo → HTTP.
 * Wiring only; every piece lives in its folder. Nothing imports this file.
 */
import { readFile } from 'node:fs/promises';
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
import { databaseReadinessChecks } from './db/readiness.ts';
import { loadDemoData } from './db/seed/load-demo.ts';
import { maskError } from './errors.ts';
import { createAuthenticate } from './http/authenticate.ts';
import { createContextFactory } from './http/context.ts';
import { devIssuerRoutes } from './http/dev-issuer.ts';
import { createGraphQLHandler } from './http/graphql.ts';
import { healthz, readyz } from './http/probes.ts';
import { scopePlugin } from './http/scopes.ts';
import { createHttpServer, type Route } from './http/server.ts';
import { importOrgSnapshot, OrgSnapshotRejected } from './org/import.ts';
import type { GatewayContext } from './schema/context.ts';
import { buildGatewaySchema } from './schema/build.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { drainOnSignals } from './telemetry/shutdown.ts';

async function prepareDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  const database = await openDatabase(config.database);
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

async function startGateway(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const database = await prepareDatabase(config, logger);
  const devIssuer = config.auth.mode === 'dev' ? await loadDevIssuer({ keyFile: config.auth.devIssuerKeyFile }) : undefined;
  const apollo = new ApolloServer<GatewayContext>({
    schema: await buildGatewaySchema(),
    formatError: maskError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), scopePlugin()],
  });
  await apollo.start();

  let draining = false;
  let port = config.http.port;
  // The verifier needs the bound port in dev mode (the issuer is this server); no request
  // reaches GraphQL before listen() returns, so it exists by then.
  const identity: { verifier?: TokenVerifier } = {};
  const graphql = createGraphQLHandler({
    apollo,
    maxBodyBytes: config.http.maxBodyBytes,
    context: createContextFactory({
      db: database.db,
      authenticate: createAuthenticate(() => identity.verifier as TokenVerifier, logger),
      logger,
    }),
  });
  const routes = new Map<string, Route>([
    ['/healthz', { methods: ['GET', 'HEAD'], handler: healthz }],
    ['/readyz', { methods: ['GET', 'HEAD'], handler: readyz(databaseReadinessChecks(database), () => draining) }],
    ['/graphql', { methods: ['GET', 'POST'], handler: graphql }],
    ...(devIssuer ? devIssuerRoutes(devIssuer, () => devIssuerUrl(port), config.auth.audience) : []),
  ]);
  const server = createHttpServer(routes, logger);
  await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
  const { address } = server.address() as AddressInfo;
  port = (server.address() as AddressInfo).port;
  identity.verifier = createVerifier(config, port);
  logger.info('gateway', 'listening', { port, address, authMode: config.auth.mode, database: database.driver });

  drainOnSignals({
    server,
    delayS: config.shutdown.delayS,
    drainS: config.shutdown.drainS,
    logger,
    beginDraining: () => (draining = true),
    closeResources: async () => {
      identity.verifier?.close();
      await apollo.stop();
      await database.close();
    },
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
