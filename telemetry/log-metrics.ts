/**
 * Metrics derived from log events, where the code that knows the event already logs it with a
 * reason and has no metrics hook: token refusals (http/authenticate.ts logs each one as an
 * `auth` warning with its `reason`) become gateway_token_failures_total{reason}. The reason is
 * a value of the verifier's closed set, and the metric bounds it anyway (labels.ts).
 */
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';

export function countTokenFailures(logger: Logger, metrics: Pick<GatewayMetrics, 'recordTokenFailure'>): Logger {
  return {
    ...logger,
    warn(category, message, fields) {
      if (category === 'auth' && typeof fields?.reason === 'string') metrics.recordTokenFailure(fields.reason);
      logger.warn(category, message, fields);
    },
  };
}
