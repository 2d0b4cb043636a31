import type { Principal } from '../auth/principal.ts';
import type { VerifiedToken } from '../auth/index.ts';
import type { Database } from '../db/client.ts';
import type { AppAbility, Viewer } from '../policies/index.ts';

/** What every resolver receives for one request: a verified caller and their ability. */
export interface GatewayContext {
  readonly requestId: string;
  readonly db: Database;
  readonly token: VerifiedToken;
  readonly principal: Principal;
  readonly viewer: Viewer;
  readonly ability: AppAbility;
}
