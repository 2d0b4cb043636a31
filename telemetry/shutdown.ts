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
  readonly beginDraining: () => void;
  readonly closeResources: () => Promise<void>;
}

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
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = sleep(options.drainS * 1000).then(() => 'timeout' as const);
  if ((await Promise.race([closed.then(() => 'drained' as const), deadline])) === 'timeout') {
    logger.warn('gateway', 'drain deadline reached; closing remaining connections');
    server.closeAllConnections();
  }
  await options.closeResources();
  logger.info('gateway', 'stopped');
}
