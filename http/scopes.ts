/**
 * OAuth scopes per operation type (DESIGN §2): queries need insights.read, mutations
 * insights.write. Checked once the operation is known and before anything resolves; a missing
 * scope is a 403 with an `insufficient_scope` challenge and no data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { InsufficientScopeError } from '../errors.ts';
import type { GatewayContext } from '../schema/context.ts';

export const READ_SCOPE = 'insights.read';
export const WRITE_SCOPE = 'insights.write';

export function scopePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const needed = operation?.operation === 'mutation' ? WRITE_SCOPE : READ_SCOPE;
          if (!contextValue.token.scopes.includes(needed)) throw new InsufficientScopeError(needed);
        },
      };
    },
  };
}
