/**
 * Execution by graphql-jit instead of graphql-js, plugged in through Apollo Server's public
 * `gateway` option: Apollo still parses, validates, runs every plugin and formats errors; only
 * the execute step is replaced (DESIGN §10). A document is compiled once per operation and
 * kept in a bounded cache keyed by Apollo's query hash, so a hostile stream of distinct
 * documents costs compilations, never memory.
 *
 * graphql-jit reports errors with its own GraphQLError; they are rebuilt as graphql-js
 * GraphQLErrors here, keeping the original error, so the one error map (errors.ts) and
 * `formatError` see what they would have seen from graphql-js.
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, GraphQLError, printSchema, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** GRAPHQL_EXECUTOR resolved: `auto` keeps graphql-js while traces are exported (its spans). */
export function chooseExecutor(setting: 'auto' | 'jit' | 'graphql-js', tracing: boolean): 'jit' | 'graphql-js' {
  if (setting !== 'auto') return setting;
  return tracing ? 'graphql-js' : 'jit';
}

export interface JitExecutionOptions {
  /** Compiled operations kept; the least recently used is dropped beyond it. */
  readonly maxCompiled: number;
}

export function jitExecution(schema: GraphQLSchema, options: JitExecutionOptions): GatewayInterface {
  const compiled = new LRUCache<string, CompiledQuery>({ max: options.maxCompiled });

  function compiledFor(key: string, compile: () => CompiledQuery | ExecutionResult): CompiledQuery | ExecutionResult {
    const cached = compiled.get(key);
    if (cached) return cached;
    const result = compile();
    if (isCompiledQuery(result)) compiled.set(key, result);
    return result;
  }

  const executor: GatewayExecutor = async (request) => {
    // No operation to run (an unknown or missing operationName): graphql-js words the error from
    // the name the client sent (Apollo has already reset request.operationName to null).
    if (!(request.operation as typeof request.operation | undefined)) {
      return execute({ schema, document: request.document, operationName: request.request.operationName, variableValues: request.request.variables, contextValue: request.context });
    }
    const operation = request.operationName ?? undefined;
    const query = compiledFor(`${request.queryHash}\u0000${operation ?? ''}`, () =>
      compileQuery(schema, request.document, operation, { disablingCapturingStackErrors: true }),
    );
    if (!isCompiledQuery(query)) return withGraphQLErrors(query);
    // Variables are checked by graphql-js first: its errors carry the variable's AST node, which
    // Apollo needs to answer 400 BAD_USER_INPUT (graphql-jit's errors carry no nodes).
    const variables = request.request.variables ?? {};
    const coerced = getVariableValues(schema, request.operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    return withGraphQLErrors(await query.query(undefined, request.context, variables));
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}

function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map(toGraphQLError) };
}

function toGraphQLError(error: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  // graphql-jit keeps the locations but not the AST nodes graphql-js derives them from.
  if (error.locations) Object.defineProperty(rebuilt, 'locations', { value: error.locations, enumerable: true });
  return rebuilt;
}
