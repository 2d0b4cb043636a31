import type { Database } from '../db/client.ts';

/** What every resolver receives for one request. */
export interface GatewayContext {
  readonly requestId: string;
  readonly db: Database;
}
