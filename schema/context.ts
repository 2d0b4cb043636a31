import type { Principal } from '../auth/principal.ts';
import type { VerifiedToken } from '../auth/index.ts';
import type { Database } from '../db/client.ts';
import type { AppAbility, Viewer } from '../policies/index.ts';

/** Bounds on what one answer may hold, from configuration (config.ts). */
export interface AnswerLimits {
  /** Buckets one `reportStats` answer may hold; a larger answer is refused, never truncated. */
  readonly reportStatsMaxBuckets: number;
}

export const DEFAULT_ANSWER_LIMITS: AnswerLimits = Object.freeze({ reportStatsMaxBuckets: 10_000 });

/** What every resolver receives for one request: a verified caller and their ability. */
export interface GatewayContext {
  readonly requestId: string;
  readonly db: Database;
  readonly token: VerifiedToken;
  readonly principal: Principal;
  readonly viewer: Viewer;
  readonly ability: AppAbility;
  readonly limits: AnswerLimits;
}
