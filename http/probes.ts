/** Kubernetes probes: /healthz says the process is up, /readyz that it should get traffic. */
import { NotReady, type ReadinessCheck } from '../db/readiness.ts';
import { sendJson } from './respond.ts';
import type { RouteHandler } from './server.ts';

export const healthz: RouteHandler = async (_request, response) => sendJson(response, 200, { status: 'ok' });

/** Runs every check (each bounded by a timeout); 200 when all pass, else 503 naming the failures. */
export function readyz(checks: Record<string, ReadinessCheck>, isDraining: () => boolean, timeoutMs = 2000): RouteHandler {
  return async (_request, response) => {
    if (isDraining()) return sendJson(response, 503, { status: 'draining' });
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await outcome(check, timeoutMs)] as const),
    );
    const failing = results.filter(([, result]) => result !== 'ok');
    sendJson(response, failing.length === 0 ? 200 : 503, {
      status: failing.length === 0 ? 'ready' : 'not ready',
      checks: Object.fromEntries(results),
    });
  };
}

async function outcome(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new NotReady(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    // Driver errors can name hosts and users: the probe says only that the check failed.
    return error instanceof NotReady ? error.message : 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
