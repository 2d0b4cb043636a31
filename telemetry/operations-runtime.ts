/**
 * What the operations resolvers need from the running gateway beyond the request context:
 * the rollout gate evaluated with the process's own verifier, pool and metrics server.
 * gateway.ts installs it once at start; until then (or in a schema built without a gateway)
 * the `readiness` query answers SERVICE_UNAVAILABLE.
 *
 * A module-level slot rather than a field of GatewayContext: the context type belongs to the
 * schema, and this is process state, the same for every request.
 */
import type { GateReport } from './readiness-gate.ts';

export interface OperationsRuntime {
  evaluateReadiness(): Promise<GateReport>;
}

let installed: OperationsRuntime | undefined;

export function installOperationsRuntime(runtime: OperationsRuntime | undefined): void {
  installed = runtime;
}

export function operationsRuntime(): OperationsRuntime | undefined {
  return installed;
}
