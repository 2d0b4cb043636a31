/**
 * Builds the GraphQL context of a request: verify the token (before any database work), find
 * the principal in the org source, build the ability. Anything thrown here that is not one of
 * our public errors would become an HTTP 500 in Apollo; a failing database becomes a 503.
 */
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { resolvePrincipal } from '../auth/principal.ts';
import type { Database } from '../db/client.ts';
import { ServiceUnavailableError } from '../errors.ts';
import { buildAbility } from '../policies/index.ts';
import { viewerOf } from '../policies/principal.ts';
import type { GatewayContext } from '../schema/context.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Authenticate } from './authenticate.ts';

export function createContextFactory(options: { db: Database; authenticate: Authenticate; logger: Logger }) {
  return async (request: IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const token = await options.authenticate(request, requestId);
    let principal;
    try {
      principal = await resolvePrincipal(options.db, token);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      options.logger.error('db', 'principal lookup failed', { requestId, error });
      throw new ServiceUnavailableError();
    }
    const viewer = viewerOf(principal);
    return { requestId, db: options.db, token, principal, viewer, ability: buildAbility(viewer) };
  };
}
