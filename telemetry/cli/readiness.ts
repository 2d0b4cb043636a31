/**
 * `npm run readiness`: the rollout gate (telemetry/readiness-gate.ts) from the command line,
 * with the gateway's own environment (run it where the gateway runs, e.g. `kubectl exec`).
 * Exits 0 when the gate passes, 1 when an area fails, 78 for a bad configuration.
 *
 *   npm run readiness                      # a line per check
 *   npm run readiness -- --json            # the report as JSON
 *   npm run readiness -- --metrics-url http://127.0.0.1:9464/metrics
 *
 * It judges by the same rules as the `readiness` query, with its own connections: it fetches
 * the issuer's key set itself, pings PostgreSQL through its own small pool, reads the trace
 * exporter settings from OTEL_*, and checks that the running gateway serves /metrics (by
 * default on 127.0.0.1 at METRICS_PORT, else PORT).
 *
 * With embedded PGlite it stops at once with a failing gate: the database directory belongs to
 * the running gateway (PGlite is single-process), and PGlite fails the RUNTIME area anyway; the
 * `readiness` query evaluates the whole gate inside a development gateway.
 */
import { parseArgs } from 'node:util';
import { createTokenVerifier } from '../../auth/index.ts';
import { ConfigError, loadConfig, type Config } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { evaluateReadinessGate, type GateReport } from '../readiness-gate.ts';
import { tracingFromEnvironment } from '../tracing.ts';

function render(report: GateReport): string {
  const lines = [`rollout gate: ${report.ready ? 'PASS' : 'FAIL'} (${report.evaluatedAt.toISOString()})`];
  for (const area of report.areas) {
    lines.push(`${area.status.padEnd(4)} ${area.area}: ${area.reason}`);
    for (const check of area.checks) lines.push(`     ${check.status.padEnd(4)} ${check.name}: ${check.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

async function run(config: Config, options: { json: boolean; metricsUrl: string | undefined }): Promise<boolean> {
  if (config.database.driver !== 'postgres') {
    process.stderr.write(
      'rollout gate: FAIL: embedded PGlite is for development; the gate needs PostgreSQL (DATABASE_URL). In a development gateway, ask the `readiness` query.\n',
    );
    return false;
  }
  const database = await openDatabase({ ...config.database, poolMax: 2 }, { acquireTimeoutMs: config.databaseAcquireTimeoutMs, closeTimeoutS: 1 });
  const verifier =
    config.auth.mode === 'okta' && config.auth.issuer
      ? createTokenVerifier({
          issuer: config.auth.issuer,
          audience: config.auth.audience,
          ...(config.auth.jwksUri ? { jwksUri: config.auth.jwksUri } : {}),
          clockToleranceS: config.auth.clockToleranceS,
          allowedClientIds: config.auth.allowedClientIds,
          jwksMaxStaleS: config.auth.jwksMaxStaleS,
          keySet: { backgroundRefresh: false },
        })
      : undefined;
  try {
    const report = await evaluateReadinessGate({
      authMode: config.auth.mode,
      issuer: config.auth.issuer,
      keySet: verifier?.keySet,
      orgMaxAgeS: config.org.maxAgeS,
      database,
      tracing: tracingFromEnvironment(),
      metricsUrl: options.metricsUrl ?? `http://127.0.0.1:${config.http.metricsPort ?? config.http.port}/metrics`,
    });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : render(report));
    return report.ready;
  } finally {
    verifier?.close();
    await database.close();
  }
}

try {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, 'metrics-url': { type: 'string' } } });
  const ready = await run(loadConfig(), { json: values.json, metricsUrl: values['metrics-url'] });
  process.exit(ready ? 0 : 1);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `readiness: ${(error as Error).message}`}\n`);
  process.exit(error instanceof ConfigError ? 78 : 2);
}
