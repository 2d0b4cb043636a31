/**
 * Graceful shutdown (DESIGN §7): on SIGTERM or SIGINT, fail readiness at once, keep serving for
 * SHUTDOWN_DELAY_S while Kubernetes removes the pod from its endpoints, stop accepting, let
 * in-flight requests finish for at most SHUTDOWN_DRAIN_S, close resources, exit. A second
 * signal exits at once.
 */
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.ts';

export interface DrainOptions {
  readonly server: Server;
  readonly delayS: number;
  readonly drainS: number;
  readonly logger: Logger;
  /** Called at the first signal: readiness fails from now on. */
  readonly beginDraining: () => void;
  /** Called after the delay, as the listener closes: requests still arriving get 503. */
  readonly stopAccepting?: () => void;
  readonly closeResources: () => Promise<void>;
}

/** How often idle keep-alive connections are closed while draining (a response just sent leaves one). */
const IDLE_SWEEP_MS = 100;

export function drainOnSignals(options: DrainOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn('gateway', `second ${signal}: exiting now`);
      process.exit(1);
    }
    stopping = true;
    void drain(options, signal).then(
      () => process.exit(0),
      (error: unknown) => {
        options.logger.error('gateway', 'shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function drain(options: DrainOptions, signal: NodeJS.Signals): Promise<void> {
  const { server, logger } = options;
  logger.info('gateway', `${signal}: failing readiness`, { delayS: options.delayS, drainS: options.drainS });
  options.beginDraining();
  await sleep(options.delayS * 1000);
  logger.info('gateway', 'draining: no new connections, waiting for in-flight requests');
  options.stopAccepting?.();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const deadline = new AbortController();
  const timeout = sleep(options.drainS * 1000, 'timeout' as const, { signal: deadline.signal }).catch(() => 'drained' as const);
  try {
    if ((await Promise.race([closed.then(() => 'drained' as const), timeout])) === 'timeout') {
      logger.warn('gateway', 'drain deadline reached; closing remaining connections');
      server.closeAllConnections();
    }
  } finally {
    clearInterval(sweep);
    deadline.abort();
  }
  await options.closeResources();
  logger.info('gateway', 'stopped');
}
