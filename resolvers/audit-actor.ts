/** Who an audit event is about, taken from the verified request, never from client input. */
import type { AuditEventInput } from '../db/audit.ts';
import { policyVersion } from '../policies/version.ts';
import type { GatewayContext } from '../schema/context.ts';

export function auditActor(context: GatewayContext): Pick<AuditEventInput, 'actorId' | 'actorSubject' | 'requestId' | 'policyVersion'> {
  return {
    actorId: context.principal.kind === 'person' ? context.principal.person.id : null,
    actorSubject: context.token.subject,
    requestId: context.requestId,
    policyVersion: policyVersion(),
  };
}
