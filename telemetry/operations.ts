/**
 * The registered operation names (DESIGN §7): operation names are chosen by clients, so only
 * the names listed here are counted under their own name in metrics and usage rollups; any
 * other name counts as `other` (and an unnamed operation as `anonymous`), so a client sending
 * random names adds no series and no rows.
 *
 * Add the operations our frontends and dashboards send as they become known (one line each,
 * reviewed like code). For now: the example operations of the README and GraphiQL.
 */
export const REGISTERED_OPERATIONS: ReadonlySet<string> = Object.freeze(
  new Set<string>(['Me', 'Reports', 'Report', 'ReportStats', 'People', 'ExplainAccess', 'UsageStats', 'Readiness']),
);
