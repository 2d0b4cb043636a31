/**
 * OpenTelemetry tracing (DESIGN §7, §10): the NodeSDK with http and graphql instrumentation,
 * exporting over OTLP as the standard OTEL_* variables say, and not started at all when none
 * of them asks for export (no exporter, no instrumentation: near-zero cost).
 *
 * Started by telemetry/register.ts before the app's imports; gateway.ts reads the outcome with
 * `tracingStatus()` and flushes with `shutdownTracing()`.
 *
 * What spans never carry: GraphQL variables, results or inline argument values
 * (`allowValues: false`), request headers, the `query`/`variables`/`extensions` parameters of
 * GET /graphql, SQL parameter values.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { getBooleanFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { SERVICE_NAME } from './service.ts';

/** Span attribute names the gateway sets itself, in one place. */
export const SpanAttribute = {
  DbSystem: 'db.system',
  DbSystemName: 'db.system.name',
  DbOperationName: 'db.operation.name',
} as const;

export interface TracingStatus {
  readonly enabled: boolean;
  /** Why tracing is on or off, for the start-up log and the readiness gate. */
  readonly reason: string;
}

export interface StartTracingOptions {
  /**
   * Span processors to use instead of the OTEL_* exporters (tests: an in-memory exporter).
   * Given, tracing starts whatever the environment says.
   */
  readonly spanProcessors?: SpanProcessor[];
}

/** GET /graphql carries the operation in its query string: those parameters never reach a span. */
const REDACTED_QUERY_PARAMETERS = ['query', 'variables', 'extensions', 'access_token', 'id_token', 'token', 'code'];
/** Probe and scrape traffic makes no spans. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let sdk: NodeSDK | undefined;
let status: TracingStatus = { enabled: false, reason: 'not started (run with --import ./telemetry/register.ts)' };

/**
 * Whether the standard variables ask for trace export: OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none turn it off; an OTLP endpoint or an explicit OTEL_TRACES_EXPORTER
 * turn it on; nothing set means off (NodeSDK alone would default to OTLP on localhost).
 */
export function tracingFromEnvironment(): TracingStatus {
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) return { enabled: false, reason: 'OTEL_SDK_DISABLED is true' };
  const exporters = getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? [];
  if (exporters.includes('none')) return { enabled: false, reason: 'OTEL_TRACES_EXPORTER is none' };
  if (exporters.length > 0) return { enabled: true, reason: `OTEL_TRACES_EXPORTER=${exporters.join(',')}` };
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    if (getStringFromEnv(name)) return { enabled: true, reason: `${name} is set` };
  }
  return { enabled: false, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set' };
}

/** The instrumentations the gateway uses, configured to stay cheap and never record values. */
export function gatewayInstrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '/').split('?', 1)[0] ?? '/'),
      redactedQueryParamsServer: REDACTED_QUERY_PARAMETERS,
      redactedQueryParams: REDACTED_QUERY_PARAMETERS,
    }),
    new GraphQLInstrumentation({
      allowValues: false,
      ignoreTrivialResolveSpans: true,
      mergeItems: true,
      depth: 2,
    }),
  ];
}

/**
 * Starts the SDK once, if the environment (or `spanProcessors`) asks for it. Export runs in
 * the background through a BatchSpanProcessor with a bounded queue (OTEL_BSP_MAX_QUEUE_SIZE,
 * default 2048; spans beyond it are dropped), so a slow or absent collector never blocks a
 * request.
 */
export function startTracing(options: StartTracingOptions = {}): TracingStatus {
  if (sdk) return status;
  const fromEnvironment = tracingFromEnvironment();
  if (!options.spanProcessors && !fromEnvironment.enabled) {
    status = fromEnvironment;
    return status;
  }
  sdk = new NodeSDK({
    // OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES still override this (env detector).
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: SERVICE_NAME }),
    instrumentations: gatewayInstrumentations(),
    // Traces only: metrics are served by telemetry/metrics.ts, logs by winston.
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
  });
  sdk.start();
  status = options.spanProcessors ? { enabled: true, reason: 'span processors given' } : fromEnvironment;
  return status;
}

export function tracingStatus(): TracingStatus {
  return status;
}

/**
 * Flushes pending spans and stops the SDK. Never rejects and never takes longer than
 * `timeoutMs`: an unreachable collector must not stall or fail the gateway's shutdown.
 * Resolves to false when the flush did not complete.
 */
export async function shutdownTracing(timeoutMs = 5000): Promise<boolean> {
  const running = sdk;
  sdk = undefined;
  if (!running) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([running.shutdown().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Statement kinds used as span names and `db.operation.name`. */
export type DbStatementKind = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'WITH' | 'BEGIN' | 'COMMIT' | 'ROLLBACK' | 'OTHER';

const KINDS: ReadonlySet<string> = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'BEGIN', 'COMMIT', 'ROLLBACK']);

/** The kind of a SQL statement from its first keyword (comments and parentheses skipped). */
export function statementKindOf(statement: string): DbStatementKind {
  const keyword = /^(?:\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)*([A-Za-z]+)/.exec(statement)?.[1]?.toUpperCase();
  return keyword !== undefined && KINDS.has(keyword) ? (keyword as DbStatementKind) : 'OTHER';
}

const dbTracer = () => trace.getTracer(`${SERVICE_NAME}/db`);

/**
 * Runs one database call in a CLIENT span named after its statement kind, with
 * `db.system=postgresql` and no statement text or parameter values. The span is ended when
 * the promise settles, and marked as an error (with the error's type, not its message, which
 * can quote values) when it rejects. Without a started SDK it costs one no-op span.
 */
export function withDbSpan<T>(statementKind: DbStatementKind, fn: () => Promise<T>): Promise<T> {
  return dbTracer().startActiveSpan(
    statementKind,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [SpanAttribute.DbSystem]: 'postgresql',
        [SpanAttribute.DbSystemName]: 'postgresql',
        [SpanAttribute.DbOperationName]: statementKind,
      },
    },
    async (span: Span) => {
      try {
        return await fn();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
