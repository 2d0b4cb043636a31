/**
 * The one place that decides whether a database error means "the database is unavailable right
 * now" (DESIGN §7, §9: 503 + Retry-After, and recovery by itself) rather than a bug or a bad
 * statement (500). Used by errors.ts (the client-facing mask) and readiness.
 *
 * drizzle wraps driver errors (DrizzleQueryError, with the driver's error as `cause`), so the
 * cause chain is searched.
 */

/** Socket-level failures (Node) and postgres.js's own connection errors. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * SQLSTATEs of a server that is going away, starting, overloaded or cancelling on timeout:
 * class 08 (connection exception), 53300 too_many_connections, 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now, 57014 query_canceled (statement_timeout).
 * Serialization failures and deadlocks (40001, 40P01) are not here: they are the caller's to retry.
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|53300|57P0[123]|57014)$/;

const MAX_CAUSES = 6;

/** Marks an error the gateway raised itself for the same condition (pool deadline). */
export interface DatabaseUnavailableMarker {
  readonly databaseUnavailable: true;
}

function isMarked(value: object): value is DatabaseUnavailableMarker {
  return (value as Partial<DatabaseUnavailableMarker>).databaseUnavailable === true;
}

/** True when `error` (or something in its cause chain) says the database cannot be reached or is overloaded. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && current !== null && typeof current === 'object'; depth += 1) {
    if (isMarked(current)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
