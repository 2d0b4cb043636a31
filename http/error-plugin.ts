/**
 * The other half of error masking (errors.ts maskError): every unexpected error is logged with
 * the request id and its stack, and the masked INTERNAL_SERVER_ERROR a client gets carries that
 * request id, so a support request can find the log line. Nothing else about it is sent.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { isPublicCode } from '../errors.ts';
import type { GatewayContext } from '../schema/context.ts';
import type { Logger } from '../telemetry/logger.ts';

export function errorReportingPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const code = original instanceof GraphQLError ? original.extensions.code : undefined;
            if (isPublicCode(code)) continue;
            logger.error('gateway', 'unexpected error', { requestId: contextValue.requestId, path: error.path, error: original });
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          if (!errors?.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) return;
          response.body.singleResult.errors = errors.map((error) =>
            error.extensions?.code === 'INTERNAL_SERVER_ERROR'
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
        },
      };
    },
  };
}
