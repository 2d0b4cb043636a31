/**
 * One log line and one metrics record per GraphQL request (DESIGN §7): request id, trace id,
 * operation name and type, client name/version, principal id and roles, outcome, duration and
 * SQL statement count.
 *
 * Never logged: variables, the query text (inline arguments can hold anything), tokens,
 * results, error messages. The outcome is the code the client saw on its first error (after
 * formatError), so masked failures count as INTERNAL_SERVER_ERROR, as the client was told.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLResponse, HeaderMap } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import { currentTraceId } from './trace-context.ts';

export interface PrincipalSummary {
  readonly id?: string;
  readonly roles: readonly string[];
}

export interface RequestTelemetryOptions<TContext extends BaseContext> {
  readonly logger: Logger;
  readonly metrics?: Pick<GatewayMetrics, 'recordRequest'>;
  readonly requestId: (context: TContext) => string;
  readonly describePrincipal: (context: TContext) => PrincipalSummary;
  /** SQL statements sent for this request so far (e.g. `() => currentSqlCount() ?? 0`). */
  readonly sqlStatements?: (context: TContext) => number | undefined;
  /**
   * `performance.now()` when the HTTP request arrived, if the context knows it; the duration
   * then includes body reading and authentication. Default: when Apollo started the request.
   */
  readonly startedAt?: (context: TContext) => number | undefined;
  /** Called once per request with what the log line says (usage rollups, telemetry/usage.ts). */
  readonly onRequest?: (summary: RequestSummary) => void;
}

/** One finished GraphQL request, as the usage rollups need it (raw names: label them before storing). */
export interface RequestSummary {
  /** null for an anonymous operation, undefined when none was resolved. */
  readonly operation: string | null | undefined;
  readonly client: string | undefined;
  readonly roles: readonly string[];
  readonly outcome: string;
  readonly durationMs: number;
}

/** Longest client-controlled string (operation name, client name/version) written to a log line. */
const MAX_LOGGED_LENGTH = 120;

const clip = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : value.length > MAX_LOGGED_LENGTH ? `${value.slice(0, MAX_LOGGED_LENGTH)}…` : value;

export interface ClientIdentity {
  readonly name: string | undefined;
  readonly version: string | undefined;
}

/** The client as Apollo's conventional headers name it. */
export function clientOf(headers: HeaderMap | undefined): ClientIdentity {
  return {
    name: headers?.get('apollographql-client-name') ?? undefined,
    version: headers?.get('apollographql-client-version') ?? undefined,
  };
}

/** `ok`, or the code of the first error the client receives. */
export function outcomeOf(response: GraphQLResponse): string {
  const errors: readonly GraphQLFormattedError[] | undefined =
    response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
  const first = errors?.[0];
  if (!first) return 'ok';
  const code = first.extensions?.code;
  return typeof code === 'string' && code !== '' ? code : 'INTERNAL_SERVER_ERROR';
}

const SERVER_SIDE = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

export function requestTelemetryPlugin<TContext extends BaseContext>(
  options: RequestTelemetryOptions<TContext>,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart(start) {
      const startedAt = safely(() => options.startedAt?.(start.contextValue)) ?? performance.now();
      const traceId = currentTraceId();
      const client = clientOf(start.request.http?.headers);
      let operationType: string | undefined;
      return {
        async didResolveOperation({ operation }) {
          operationType = operation?.operation;
        },
        async willSendResponse({ response, contextValue, operationName, operation, request }) {
          const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
          const outcome = outcomeOf(response);
          // null: an anonymous operation; undefined: none was resolved (parse or validation failure).
          const name = operation ? (operation.name?.value ?? null) : (operationName ?? request.operationName ?? undefined);
          const principal = safely(() => options.describePrincipal(contextValue)) ?? { roles: [] };
          const fields = {
            requestId: safely(() => options.requestId(contextValue)),
            traceId,
            operationName: clip(name ?? undefined),
            operationType: operationType ?? operation?.operation,
            clientName: clip(client.name),
            clientVersion: clip(client.version),
            principalId: principal.id,
            roles: [...principal.roles],
            outcome,
            status: response.http.status ?? 200,
            durationMs,
            sqlStatements: safely(() => options.sqlStatements?.(contextValue)),
          };
          options.metrics?.recordRequest({ operation: name, client: client.name, outcome, durationMs });
          safely(() => options.onRequest?.({ operation: name, client: client.name, roles: principal.roles, outcome, durationMs }));
          const level = SERVER_SIDE.has(outcome) ? 'warn' : 'info';
          options.logger[level]('http', 'graphql request', fields);
        },
      };
    },
  };
}

export interface RefusedRequest {
  readonly requestId: string;
  readonly headers: IncomingHttpHeaders;
  /** What the context function threw (a GraphQLError with a code, for a deliberate refusal). */
  readonly error: unknown;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
}

/**
 * The same log line and metrics record for a request refused before GraphQL runs (the
 * context function threw: 401, 403 insufficient scope, 503), which Apollo's request plugins
 * never see. Call it from the context wrapper, then rethrow.
 */
export function recordRefusedRequest(
  options: { readonly logger: Logger; readonly metrics?: Pick<GatewayMetrics, 'recordRequest'> },
  refused: RefusedRequest,
): void {
  const header = (name: string) => {
    const value = refused.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const code = refused.error instanceof GraphQLError ? refused.error.extensions.code : undefined;
  const outcome = typeof code === 'string' && code !== '' ? code : 'INTERNAL_SERVER_ERROR';
  const http = refused.error instanceof GraphQLError ? (refused.error.extensions.http as { status?: unknown } | undefined) : undefined;
  const durationMs = Math.round((performance.now() - refused.startedAt) * 1000) / 1000;
  const clientName = header('apollographql-client-name');
  options.metrics?.recordRequest({ operation: undefined, client: clientName, outcome, durationMs });
  options.logger[SERVER_SIDE.has(outcome) ? 'warn' : 'info']('http', 'graphql request refused', {
    requestId: refused.requestId,
    traceId: currentTraceId(),
    clientName: clip(clientName),
    clientVersion: clip(header('apollographql-client-version')),
    outcome,
    status: typeof http?.status === 'number' ? http.status : 500,
    durationMs,
    sqlStatements: 0,
  });
}

/** Accessors must not turn a finished request into a failure: a throwing one reports nothing. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
