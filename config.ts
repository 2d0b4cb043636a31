/**
 * The gateway's configuration: every environment variable is parsed and validated here, once,
 * synchronously, before anything starts. Nothing else reads `process.env`.
 *
 * A bad value stops the process with one message naming each bad variable (see ConfigError).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { DatabaseTarget } from './db/client.ts';
import type { TrustedDocumentsMode } from './http/persisted-documents.ts';
import type { QueryLimits } from './http/query-safety.ts';
import type { CostBudgets, RequestRateLimit } from './http/rate-limit.ts';
import { DEFAULT_ANSWER_LIMITS, type AnswerLimits } from './schema/context.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || (isIP(hostname) === 4 && hostname.startsWith('127.'));
}

const seconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const port = z.coerce.number().int().min(1).max(65535);
const csv = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const httpUrl = z.url({ protocol: /^https?$/ });
const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Port of the GraphQL server; 0 picks a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Address to bind; loopback in dev mode, all interfaces otherwise. */
  HOST: z.string().min(1).optional(),
  /** PostgreSQL URL; absent means the embedded PGlite database in PGLITE_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where the embedded database lives; `memory://` keeps it in memory. */
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  /** Largest number of pooled PostgreSQL connections per process. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** Longest wait for a pooled PostgreSQL connection before the request fails with 503. */
  DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2000),
  /**
   * postgres.js prepared statements (named, reused per connection). PostgreSQL may switch a
   * prepared statement to a generic plan after five runs; `npm run bench -- --prepare off`
   * measures both ways (bench/README.md has the figures behind the default).
   */
  DATABASE_PREPARE: z.stringbool().default(true),
  /**
   * PostgreSQL's plan_cache_mode for the gateway's connections. `auto` lets a named statement
   * keep one generic plan instead of planning every execution, which was more than half of
   * PostgreSQL's CPU per request on W2 and two thirds on W3 (bench/README.md). The gateway
   * names only reads whose generic plan the benchmark's plan section measures no slower than a
   * custom one for any viewer; reads that scan as much as the viewer reaches go unnamed and are
   * planned every time (db/prepared.ts). `force_custom_plan` plans every execution, for
   * comparison.
   */
  DATABASE_PLAN_CACHE_MODE: z.enum(['auto', 'force_custom_plan', 'force_generic_plan']).default('auto'),
  /** Apply pending migrations at start. Default: on, except under NODE_ENV=production. */
  DATABASE_MIGRATE_AT_START: z.stringbool().optional(),
  /** Load the demo org and reports into an empty database at start. Default: on for PGlite. */
  DEMO_DATA: z.stringbool().optional(),
  /** `okta` verifies tokens of AUTH_ISSUER; `dev` starts the built-in development issuer. */
  AUTH_MODE: z.enum(['okta', 'dev'], {
    error: 'is required: "okta", or "dev" for the built-in development issuer (npm start sets dev)',
  }),
  AUTH_ISSUER: httpUrl.optional(),
  AUTH_AUDIENCE: z.string().min(1).default('api://builder-insights'),
  AUTH_JWKS_URI: httpUrl.optional(),
  AUTH_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(60),
  AUTH_ALLOWED_CLIENT_IDS: csv,
  AUTH_JWKS_MAX_STALE_S: seconds(21600),
  /** The development issuer's signing key (AUTH_MODE=dev), shared with `npm run token`. */
  DEV_ISSUER_KEY_FILE: z.string().min(1).default('.data/dev-issuer/signing-key.json'),
  /** Org snapshot imported at start (a same-sequence file is a cheap no-op). */
  ORG_SNAPSHOT: z.string().min(1).optional(),
  ORG_MAX_AGE_S: seconds(172800),
  /** Serve /metrics on this port instead of the main one. */
  METRICS_PORT: port.optional(),
  /** Client names (apollographql-client-name) counted under their own name in metrics and usage; others count as `other`. */
  KNOWN_CLIENTS: csv,
  /** How often the in-memory usage rollups are written to the database. */
  USAGE_FLUSH_INTERVAL_S: z.coerce.number().int().min(1).max(3600).default(60),
  /** Exact origins allowed to call /graphql from a browser (`https://app.example.com`, comma-separated). */
  CORS_ORIGINS: csv,
  /** Query shape limits (http/query-safety.ts); over them: 400 before anything runs. */
  QUERY_MAX_DEPTH: count(1, 100, 10),
  QUERY_MAX_ALIASES: count(0, 1000, 15),
  QUERY_MAX_DIRECTIVES: count(0, 1000, 10),
  QUERY_MAX_TOKENS: count(100, 100_000, 2000),
  /** Largest cost of one operation, per class of caller (analysts, frontends, dashboard services). */
  QUERY_MAX_COST_ANALYST: count(1, 10_000_000, 20_000),
  QUERY_MAX_COST_FRONTEND: count(1, 10_000_000, 10_000),
  QUERY_MAX_COST_SERVICE: count(1, 10_000_000, 5000),
  /** Cost a principal may spend per minute, per class; 0 turns the budget off. */
  COST_BUDGET_PER_MINUTE_ANALYST: count(0, 1_000_000_000, 200_000),
  COST_BUDGET_PER_MINUTE_FRONTEND: count(0, 1_000_000_000, 200_000),
  COST_BUDGET_PER_MINUTE_SERVICE: count(0, 1_000_000_000, 600_000),
  /** Requests per second per principal (token bucket), and how many may come at once. */
  RATE_LIMIT_RPS: z.coerce.number().positive().max(100_000).default(20),
  RATE_LIMIT_BURST: count(1, 1_000_000, 40),
  /** Who may run only registered operations: `services` (dashboards), `all`, or `off` (not in production). */
  TRUSTED_DOCUMENTS: z.enum(['off', 'services', 'all']).default('services'),
  /** The operation registry (default operations/registry.json; `npm run operations:register`). */
  OPERATIONS_REGISTRY: z.string().min(1).optional(),
  /** Buckets one reportStats answer may hold; more is refused with BAD_USER_INPUT (narrow the question). */
  REPORT_STATS_MAX_BUCKETS: count(1, 10_000_000, DEFAULT_ANSWER_LIMITS.reportStatsMaxBuckets),
  /** Documents kept for automatic persisted queries (least recently used go first). */
  APQ_CACHE_ENTRIES: count(1, 1_000_000, 1000),
  /** Introspection for authenticated callers (every /graphql caller is); false turns it off. */
  GRAPHQL_INTROSPECTION: z.stringbool().default(true),
  /**
   * What executes a validated operation: `jit` compiles each operation once (graphql-jit) and
   * runs the compiled function; `graphql-js` is the reference executor, the one OpenTelemetry's
   * GraphQL instrumentation sees (execute and resolver spans). `auto`: graphql-js while traces
   * are exported, jit otherwise. Parsing, validation, plugins and error formatting are Apollo's
   * either way.
   */
  GRAPHQL_EXECUTOR: z.enum(['auto', 'jit', 'graphql-js']).default('auto'),
  /** Serve GraphiQL at /graphiql (and at / for browsers). */
  GRAPHIQL: z.stringbool().default(true),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  SHUTDOWN_DELAY_S: seconds(0),
  SHUTDOWN_DRAIN_S: seconds(10),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  /**
   * Benchmark only (npm run bench), refused unless AUTH_MODE=dev: every request gets an
   * allow-all ability, to measure what authorization costs; and every SQL statement is appended
   * to this file, so the raw baseline replays exactly what the gateway sent.
   */
  BENCH_ALLOW_ALL: z.stringbool().default(false),
  BENCH_SQL_CAPTURE_FILE: z.string().min(1).optional(),
});

type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly nodeEnv: Env['NODE_ENV'];
  readonly production: boolean;
  readonly http: {
    readonly port: number;
    readonly host: string;
    readonly metricsPort: number | undefined;
    readonly corsOrigins: readonly string[];
    readonly maxBodyBytes: number;
  };
  readonly database:
    | { readonly driver: 'postgres'; readonly url: string; readonly poolMax: number }
    | { readonly driver: 'pglite'; readonly dataDir: string };
  /** DATABASE_ACQUIRE_TIMEOUT_MS: the deadline for a pooled connection (PostgreSQL only). */
  readonly databaseAcquireTimeoutMs: number;
  /** DATABASE_PREPARE: postgres.js prepared statements (PostgreSQL only). */
  readonly databasePrepare: boolean;
  /** DATABASE_PLAN_CACHE_MODE: PostgreSQL's plan_cache_mode for the gateway's connections. */
  readonly databasePlanCacheMode: Env['DATABASE_PLAN_CACHE_MODE'];
  readonly migrateAtStart: boolean;
  readonly demoData: boolean;
  readonly auth: {
    readonly mode: Env['AUTH_MODE'];
    readonly issuer: string | undefined;
    readonly audience: string;
    readonly jwksUri: string | undefined;
    readonly clockToleranceS: number;
    readonly allowedClientIds: readonly string[];
    readonly jwksMaxStaleS: number;
    readonly devIssuerKeyFile: string;
  };
  readonly org: { readonly snapshotPath: string | undefined; readonly maxAgeS: number };
  readonly shutdown: { readonly delayS: number; readonly drainS: number };
  readonly telemetry: { readonly knownClients: readonly string[]; readonly usageFlushIntervalS: number };
  readonly graphql: {
    readonly limits: QueryLimits;
    readonly costBudgets: CostBudgets;
    readonly rateLimit: RequestRateLimit;
    readonly trustedDocuments: TrustedDocumentsMode;
    readonly operationsRegistry: string | undefined;
    readonly apqCacheEntries: number;
    readonly introspection: boolean;
    readonly graphiql: boolean;
    readonly executor: Env['GRAPHQL_EXECUTOR'];
    readonly answerLimits: AnswerLimits;
  };
  readonly logLevel: Env['LOG_LEVEL'];
  /** Benchmark-only switches (AUTH_MODE=dev only). */
  readonly bench: { readonly allowAll: boolean; readonly sqlCaptureFile: string | undefined };
}

/** Thrown for a configuration that cannot run; its message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Rules that involve more than one variable, or the environment as a whole. */
function crossFieldProblems(env: Env): string[] {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  if (production && env.AUTH_MODE === 'dev') {
    problems.push('AUTH_MODE: "dev" (the development issuer) is refused under NODE_ENV=production');
  }
  if (production && !env.AUTH_ISSUER) problems.push('AUTH_ISSUER: is required under NODE_ENV=production');
  if (production && !env.DATABASE_URL) {
    problems.push('DATABASE_URL: is required under NODE_ENV=production (the embedded database is for development)');
  }
  if (env.AUTH_MODE === 'okta' && !env.AUTH_ISSUER) problems.push('AUTH_ISSUER: is required when AUTH_MODE=okta');
  if (env.AUTH_MODE === 'dev' && !production) {
    for (const name of ['AUTH_ISSUER', 'AUTH_JWKS_URI'] as const) {
      if (env[name]) problems.push(`${name}: not used with AUTH_MODE=dev (the gateway serves its own development issuer)`);
    }
  }
  for (const name of ['AUTH_ISSUER', 'AUTH_JWKS_URI'] as const) {
    const value = env[name];
    if (value && value.startsWith('http:') && !isLoopbackHost(new URL(value).hostname)) {
      problems.push(`${name}: must use https (plain http is allowed only on a loopback host)`);
    }
  }
  if (production && env.DEMO_DATA) problems.push('DEMO_DATA: demo data is refused under NODE_ENV=production');
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
    problems.push('METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on the main port)');
  }
  if (env.CORS_ORIGINS.includes('*')) {
    problems.push('CORS_ORIGINS: "*" is not allowed; list the origins (credentials are never sent to a wildcard)');
  }
  for (const origin of env.CORS_ORIGINS.filter((entry) => entry !== '*')) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path or trailing slash)`);
    }
  }
  for (const name of ['BENCH_ALLOW_ALL', 'BENCH_SQL_CAPTURE_FILE'] as const) {
    if (env[name] && (production || env.AUTH_MODE !== 'dev')) {
      problems.push(`${name}: benchmark-only; refused unless AUTH_MODE=dev outside production`);
    }
  }
  if (production && env.TRUSTED_DOCUMENTS === 'off') {
    problems.push('TRUSTED_DOCUMENTS: "off" is refused under NODE_ENV=production (dashboard services run registered operations only)');
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? 'environment');
  const given = env[name];
  const shown = given === undefined ? '' : ` (got ${JSON.stringify(given.length > 60 ? `${given.slice(0, 60)}…` : given)})`;
  return `${name}: ${issue.message}${shown}`;
}

/** An empty variable means "unset", as it does for most twelve-factor tools. */
function presentVariables(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

/** Parses an environment (process.env by default) into a frozen Config, or throws ConfigError. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const env = presentVariables(source);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, env)));
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(toConfig(parsed.data));
}

function toConfig(env: Env): Config {
  const production = env.NODE_ENV === 'production';
  const embedded = env.DATABASE_URL === undefined;
  return {
    nodeEnv: env.NODE_ENV,
    production,
    http: {
      port: env.PORT,
      host: env.HOST ?? (env.AUTH_MODE === 'dev' ? '127.0.0.1' : '0.0.0.0'),
      metricsPort: env.METRICS_PORT,
      corsOrigins: env.CORS_ORIGINS,
      maxBodyBytes: env.MAX_BODY_BYTES,
    },
    database: embedded
      ? { driver: 'pglite', dataDir: env.PGLITE_DIR }
      : { driver: 'postgres', url: env.DATABASE_URL as string, poolMax: env.DATABASE_POOL_MAX },
    databaseAcquireTimeoutMs: env.DATABASE_ACQUIRE_TIMEOUT_MS,
    databasePrepare: env.DATABASE_PREPARE,
    databasePlanCacheMode: env.DATABASE_PLAN_CACHE_MODE,
    migrateAtStart: env.DATABASE_MIGRATE_AT_START ?? !production,
    demoData: env.DEMO_DATA ?? embedded,
    auth: {
      mode: env.AUTH_MODE,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      jwksUri: env.AUTH_JWKS_URI,
      clockToleranceS: env.AUTH_CLOCK_TOLERANCE_S,
      allowedClientIds: env.AUTH_ALLOWED_CLIENT_IDS,
      jwksMaxStaleS: env.AUTH_JWKS_MAX_STALE_S,
      devIssuerKeyFile: env.DEV_ISSUER_KEY_FILE,
    },
    org: { snapshotPath: env.ORG_SNAPSHOT, maxAgeS: env.ORG_MAX_AGE_S },
    shutdown: { delayS: env.SHUTDOWN_DELAY_S, drainS: env.SHUTDOWN_DRAIN_S },
    telemetry: { knownClients: env.KNOWN_CLIENTS, usageFlushIntervalS: env.USAGE_FLUSH_INTERVAL_S },
    graphql: {
      limits: {
        maxDepth: env.QUERY_MAX_DEPTH,
        maxAliases: env.QUERY_MAX_ALIASES,
        maxDirectives: env.QUERY_MAX_DIRECTIVES,
        maxTokens: env.QUERY_MAX_TOKENS,
        maxCost: { analyst: env.QUERY_MAX_COST_ANALYST, frontend: env.QUERY_MAX_COST_FRONTEND, service: env.QUERY_MAX_COST_SERVICE },
      },
      costBudgets: {
        analyst: env.COST_BUDGET_PER_MINUTE_ANALYST,
        frontend: env.COST_BUDGET_PER_MINUTE_FRONTEND,
        service: env.COST_BUDGET_PER_MINUTE_SERVICE,
      },
      rateLimit: { ratePerSecond: env.RATE_LIMIT_RPS, burst: env.RATE_LIMIT_BURST },
      trustedDocuments: env.TRUSTED_DOCUMENTS,
      operationsRegistry: env.OPERATIONS_REGISTRY,
      apqCacheEntries: env.APQ_CACHE_ENTRIES,
      introspection: env.GRAPHQL_INTROSPECTION,
      executor: env.GRAPHQL_EXECUTOR,
      graphiql: env.GRAPHIQL,
      answerLimits: { reportStatsMaxBuckets: env.REPORT_STATS_MAX_BUCKETS },
    },
    logLevel: env.LOG_LEVEL,
    bench: { allowAll: env.BENCH_ALLOW_ALL, sqlCaptureFile: env.BENCH_SQL_CAPTURE_FILE },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const databaseEnvSchema = envSchema.pick({ DATABASE_URL: true, PGLITE_DIR: true });

/**
 * The database part of the configuration alone, for command-line tools (migrate, import, seed)
 * that need no identity settings. Same variables and rules as loadConfig.
 */
export function databaseTargetFromEnv(source: Record<string, string | undefined> = process.env): DatabaseTarget {
  const env = presentVariables(source);
  const parsed = databaseEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, env)));
  const { DATABASE_URL: url, PGLITE_DIR: dataDir } = parsed.data;
  return url ? { driver: 'postgres', url, poolMax: 4 } : { driver: 'pglite', dataDir };
}

const devIssuerEnvSchema = envSchema.pick({ PORT: true, AUTH_AUDIENCE: true, DEV_ISSUER_KEY_FILE: true });

/** What `npm run token` needs to mint tokens the running dev gateway accepts. */
export function devIssuerConfigFromEnv(source: Record<string, string | undefined> = process.env) {
  const env = presentVariables(source);
  const parsed = devIssuerEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, env)));
  return { port: parsed.data.PORT, audience: parsed.data.AUTH_AUDIENCE, keyFile: parsed.data.DEV_ISSUER_KEY_FILE };
}
