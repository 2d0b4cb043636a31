/**
 * The rollout gate (DESIGN §7, issue 7): whether this deployment is fit for broader rollout,
 * by area, each check pass or fail with its reason. Not /readyz (which only says whether this
 * process should get traffic): the gate also fails on an unreachable issuer, stale org data or
 * missing telemetry, none of which may take pods out of the Service.
 *
 * Shared by the `readiness` query (admins; evaluated inside the gateway, with its verifier and
 * pool) and `npm run readiness` (telemetry/cli/readiness.ts: the same configuration, its own
 * connections), so both judge by the same rules:
 *
 * - IDENTITY: AUTH_MODE=okta; the issuer answers (the key set is fetched now); keys fresh
 *   (a usable set fetched within KEYS_FRESH_S).
 * - ORG_TRUTH: an org snapshot is in force, generated less than ORG_MAX_AGE_S ago (the age of
 *   the data counts from when the org source produced it, not when it was imported).
 * - RUNTIME: migrations current; the pool healthy (PostgreSQL answers within the acquisition
 *   deadline, and no request hit the deadline in the last POOL_QUIET_S). Embedded PGlite
 *   fails this area: it is for development.
 * - TELEMETRY: a trace exporter is configured (OTEL_*); /metrics answers.
 * - AUDIT: the audit hash chain verifies from the first row to the head (db/audit-verify.ts),
 *   with a longer time limit (AUDIT_CHECK_TIMEOUT_MS): it reads the whole table in batches.
 *
 * A check is PASS, FAIL or SKIP (not applicable, with the reason: the issuer checks in dev
 * mode). SKIP does not fail the gate (only FAIL does) but is listed, so nobody mistakes it for
 * a pass.
 */
import type { TokenVerifier } from '../auth/index.ts';
import { verifyAuditChain } from '../db/audit-verify.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { migrationsAreCurrent } from '../db/migrations.ts';
import { orgInForce, type OrgInForce } from '../db/readiness.ts';
import type { TracingStatus } from './tracing.ts';

export type GateStatus = 'PASS' | 'FAIL' | 'SKIP';
export type GateAreaName = 'IDENTITY' | 'ORG_TRUTH' | 'RUNTIME' | 'TELEMETRY' | 'AUDIT';

export interface GateCheck {
  readonly name: string;
  readonly status: GateStatus;
  readonly reason: string;
}

export interface GateArea {
  readonly area: GateAreaName;
  readonly status: GateStatus;
  /** The first failing check's reason, or a summary. */
  readonly reason: string;
  readonly checks: readonly GateCheck[];
}

export interface GateReport {
  /** True when no area fails (skipped areas do not fail the gate). */
  readonly ready: boolean;
  readonly evaluatedAt: Date;
  readonly areas: readonly GateArea[];
}

/** A key set fetched longer ago than this is not fresh (the verifier refreshes every 5 min). */
export const KEYS_FRESH_S = 15 * 60;
/** The pool is unhealthy while a request hit the acquisition deadline this recently. */
export const POOL_QUIET_S = 60;
/** Verifying the audit chain reads every row: it gets more time than the other checks. */
export const AUDIT_CHECK_TIMEOUT_MS = 30_000;

export interface ReadinessGateInputs {
  readonly authMode: 'okta' | 'dev';
  readonly issuer: string | undefined;
  /** The verifier's key set (okta mode). */
  readonly keySet: TokenVerifier['keySet'] | undefined;
  readonly orgMaxAgeS: number;
  readonly database: DatabaseHandle;
  readonly tracing: TracingStatus;
  /** Where /metrics is served (checked over HTTP), or undefined when it is not. */
  readonly metricsUrl: string | undefined;
  /** Per-check time limit (default 3000 ms). */
  readonly checkTimeoutMs?: number;
  /** Time limit of the audit chain verification (default AUDIT_CHECK_TIMEOUT_MS). */
  readonly auditTimeoutMs?: number;
  readonly now?: () => number;
}

type CheckResult = Omit<GateCheck, 'name'>;
const pass = (reason: string): CheckResult => ({ status: 'PASS', reason });
const fail = (reason: string): CheckResult => ({ status: 'FAIL', reason });
const skip = (reason: string): CheckResult => ({ status: 'SKIP', reason });

export async function evaluateReadinessGate(inputs: ReadinessGateInputs): Promise<GateReport> {
  const now = inputs.now ?? Date.now;
  const timeoutMs = inputs.checkTimeoutMs ?? 3000;
  const check = async (name: string, run: () => Promise<CheckResult>): Promise<GateCheck> => ({
    name,
    ...(await bounded(run, timeoutMs)),
  });
  const areas = await Promise.all([
    area('IDENTITY', identityChecks(inputs, now, check)),
    area('ORG_TRUTH', orgChecks(inputs, now, check)),
    area('RUNTIME', runtimeChecks(inputs, now, check)),
    area('TELEMETRY', telemetryChecks(inputs, timeoutMs, check)),
    area('AUDIT', auditChecks(inputs)),
  ]);
  return { ready: areas.every((each) => each.status !== 'FAIL'), evaluatedAt: new Date(now()), areas };
}

type Check = (name: string, run: () => Promise<CheckResult>) => Promise<GateCheck>;

async function area(name: GateAreaName, pending: Promise<GateCheck[]>): Promise<GateArea> {
  const checks = await pending;
  const failing = checks.find((each) => each.status === 'FAIL');
  if (failing) return { area: name, status: 'FAIL', reason: `${failing.name}: ${failing.reason}`, checks };
  if (checks.every((each) => each.status === 'SKIP')) return { area: name, status: 'SKIP', reason: checks[0]?.reason ?? 'skipped', checks };
  return { area: name, status: 'PASS', reason: 'every check passes', checks };
}

function identityChecks(inputs: ReadinessGateInputs, now: () => number, check: Check): Promise<GateCheck[]> {
  if (inputs.authMode !== 'okta' || !inputs.keySet) {
    return Promise.all([
      check('okta mode', async () => fail('AUTH_MODE=dev: the built-in development issuer is not a rollout configuration')),
      check('issuer reachable', async () => skip('no Okta issuer in dev mode')),
      check('keys fresh', async () => skip('no Okta issuer in dev mode')),
    ]);
  }
  const keySet = inputs.keySet;
  return (async () => {
    const mode = await check('okta mode', async () => pass(`AUTH_MODE=okta, issuer ${inputs.issuer ?? '(unknown)'}`));
    // Fetch now: a held set says nothing about whether the issuer answers today.
    const reachable = await check('issuer reachable', async () => {
      try {
        await keySet.refresh();
        return pass('the issuer served its key set just now');
      } catch {
        const reason = keySet.state().lastFailure;
        return fail(`the issuer's key set could not be fetched${reason ? ` (${reason})` : ''}`);
      }
    });
    const fresh = await check('keys fresh', async () => {
      const state = keySet.state();
      if (!state.usable || state.keyCount === 0) return fail('no usable key set is held');
      const ageS = Math.round(state.ageS ?? (state.lastSuccessAt === undefined ? Infinity : (now() - state.lastSuccessAt) / 1000));
      if (ageS > KEYS_FRESH_S) return fail(`the key set was fetched ${ageS} s ago (fresh: under ${KEYS_FRESH_S} s); cached keys still serve`);
      return pass(`${state.keyCount} key(s), fetched ${ageS} s ago`);
    });
    return [mode, reachable, fresh];
  })();
}

function orgChecks(inputs: ReadinessGateInputs, now: () => number, check: Check): Promise<GateCheck[]> {
  return (async () => {
    let org: OrgInForce | undefined;
    const present = await check('snapshot imported', async () => {
      org = await orgInForce(inputs.database.db);
      return org ? pass(`sequence ${org.sequence} in force`) : fail('no org snapshot has been imported');
    });
    const age = await check('snapshot age', async () => {
      if (!org) return fail('no org snapshot has been imported');
      const ageS = Math.max(0, Math.round((now() - org.generatedAt.getTime()) / 1000));
      const what = `generated ${ageS} s ago (limit ORG_MAX_AGE_S=${inputs.orgMaxAgeS} s)`;
      return ageS <= inputs.orgMaxAgeS ? pass(what) : fail(`${what}: import a fresh snapshot`);
    });
    return [present, age];
  })();
}

function runtimeChecks(inputs: ReadinessGateInputs, now: () => number, check: Check): Promise<GateCheck[]> {
  const { database } = inputs;
  return Promise.all([
    check('migrations current', async () =>
      (await migrationsAreCurrent(database)) ? pass('every committed migration is applied') : fail('pending migrations'),
    ),
    check('pool healthy', async () => {
      if (database.driver === 'pglite') return fail('embedded PGlite is for development: roll out on PostgreSQL (DATABASE_URL)');
      const started = now();
      await database.ping();
      const stats = database.pool();
      const quietFor = stats?.lastTimeoutAt === undefined ? Infinity : (now() - stats.lastTimeoutAt) / 1000;
      if (quietFor < POOL_QUIET_S) {
        return fail(`a request waited past the acquisition deadline ${Math.round(quietFor)} s ago (${stats?.timeouts ?? 0} since start)`);
      }
      const figures = stats ? `, ${stats.inUse}/${stats.size} connections in use, ${stats.waiting} waiting` : '';
      return pass(`PostgreSQL answered in ${now() - started} ms${figures}`);
    }),
  ]);
}

function telemetryChecks(inputs: ReadinessGateInputs, timeoutMs: number, check: Check): Promise<GateCheck[]> {
  return Promise.all([
    check('trace exporter configured', async () => (inputs.tracing.enabled ? pass(inputs.tracing.reason) : fail(inputs.tracing.reason))),
    check('metrics served', async () => {
      if (!inputs.metricsUrl) return fail('/metrics is not served');
      const response = await fetch(inputs.metricsUrl, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      const text = await response.text();
      if (response.status !== 200) return fail(`${inputs.metricsUrl} answered ${response.status}`);
      if (!text.includes('# TYPE')) return fail(`${inputs.metricsUrl} served no Prometheus metrics`);
      return pass(`${inputs.metricsUrl} answered with Prometheus metrics`);
    }),
  ]);
}

async function auditChecks(inputs: ReadinessGateInputs): Promise<GateCheck[]> {
  const verified = await bounded(async () => {
    const result = await verifyAuditChain(inputs.database.db);
    if (!result.ok) return fail(`${result.problem} (${result.rows} rows verified before it)`);
    return pass(result.head ? `${result.rows} events chained, head ${result.head.id}` : 'no audit events yet');
  }, inputs.auditTimeoutMs ?? AUDIT_CHECK_TIMEOUT_MS);
  return [{ name: 'chain verifies', ...verified }];
}

/** Runs a check with a time limit; a throw or a timeout is a FAIL whose reason names no secret. */
async function bounded(run: () => Promise<CheckResult>, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve(fail(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([run().catch((error: unknown) => fail(describeFailure(error))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Error class and code only: driver and fetch messages can carry hosts, users or URLs with credentials. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'failed';
  const codes: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    codes.push(typeof code === 'string' ? `${current.name} ${code}` : current.name);
  }
  return `failed (${codes.join(' ← ')})`;
}
