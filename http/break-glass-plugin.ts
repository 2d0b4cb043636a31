/**
 * DESIGN §4 rule 5 and issue 6: while a person holds a break-glass session in force, every
 * request they make is audited — `breakglass.access`, with the session id, the operation's name
 * and type — in its own transaction, once the operation is known and before anything resolves.
 * Whether a session is in force was decided with the database clock when the request's context
 * was built (org/directory.ts), so expiry needs no job. If the event cannot be written, the
 * request fails: privileged access is never left unaudited.
 *
 * Register it in gateway.ts's Apollo plugin list: `breakGlassAuditPlugin()`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { appendAuditEvent } from '../db/audit.ts';
import { auditActor } from '../resolvers/audit-actor.ts';
import type { GatewayContext } from '../schema/context.ts';

/** Longest operation name recorded (names are client-chosen). */
const MAX_OPERATION_NAME = 200;

/** The session a request runs under: one in force that counts for its holder (policies decide). */
export function breakGlassSessionOf(context: GatewayContext): string | null {
  if (context.principal.kind !== 'person' || context.viewer.kind !== 'person' || !context.viewer.breakGlass) return null;
  return context.principal.person.breakGlassSessionId;
}

export function breakGlassAuditPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const sessionId = breakGlassSessionOf(contextValue);
      if (sessionId === null) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          const name = (operationName ?? operation?.name?.value ?? null)?.slice(0, MAX_OPERATION_NAME) ?? null;
          await contextValue.db.transaction((tx) =>
            appendAuditEvent(tx, {
              ...auditActor(contextValue),
              action: 'breakglass.access',
              subjectType: 'BreakGlass',
              subjectId: sessionId,
              decision: 'ALLOW',
              details: { sessionId, operationName: name, operationType: operation?.operation ?? null },
            }),
          );
        },
      };
    },
  };
}
