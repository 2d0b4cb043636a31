import { describe, expect, it } from 'vitest';
import { ConfigError, databaseTargetFromEnv, loadConfig } from '../../config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('accepts the benchmark switches only with the development issuer outside production', () => {
    const bench = { BENCH_ALLOW_ALL: 'true', BENCH_SQL_CAPTURE_FILE: '/tmp/statements.jsonl' };
    expect(loadConfig({ AUTH_MODE: 'dev', ...bench }).bench).toEqual({ allowAll: true, sqlCaptureFile: '/tmp/statements.jsonl' });
    expect(loadConfig({ AUTH_MODE: 'dev' }).bench).toEqual({ allowAll: false, sqlCaptureFile: undefined });
    const okta = problemsOf({ AUTH_MODE: 'okta', AUTH_ISSUER: 'https://example.okta.com/oauth2/default', ...bench });
    expect(okta.filter((problem) => problem.startsWith('BENCH_'))).toHaveLength(2);
    const production = problemsOf({ NODE_ENV: 'production', AUTH_MODE: 'dev', DATABASE_URL: 'postgres://h/d', BENCH_ALLOW_ALL: 'true' });
    expect(production.some((problem) => problem.startsWith('BENCH_ALLOW_ALL'))).toBe(true);
  });

  it('gives the npm start defaults: embedded database, demo data, loopback, migrations at start', () => {
    const config = loadConfig({ AUTH_MODE: 'dev' });
    expect(config.database).toEqual({ driver: 'pglite', dataDir: '.data/pglite' });
    expect(config).toMatchObject({ demoData: true, migrateAtStart: true, production: false });
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 4000, maxBodyBytes: 1048576 });
    expect(config.auth).toMatchObject({ audience: 'api://builder-insights', clockToleranceS: 60, jwksMaxStaleS: 21600 });
    expect(config.shutdown).toEqual({ delayS: 0, drainS: 10 });
    expect(config.org.maxAgeS).toBe(172800);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({ AUTH_MODE: 'dev' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.http.corsOrigins)).toBe(true);
  });

  it('binds all interfaces and keeps demo data off for Okta on PostgreSQL', () => {
    const config = loadConfig({
      AUTH_MODE: 'okta',
      AUTH_ISSUER: 'https://example.okta.com/oauth2/default',
      DATABASE_URL: 'postgres://gateway@db:5432/insights',
      NODE_ENV: 'production',
      AUTH_ALLOWED_CLIENT_IDS: ' web, dashboard-service ,',
    });
    expect(config.http.host).toBe('0.0.0.0');
    expect(config).toMatchObject({ demoData: false, migrateAtStart: false, production: true });
    expect(config.database).toEqual({ driver: 'postgres', url: 'postgres://gateway@db:5432/insights', poolMax: 10 });
    expect(config.auth.allowedClientIds).toEqual(['web', 'dashboard-service']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ AUTH_MODE: 'dev', PORT: '', DATABASE_URL: '' }).database.driver).toBe('pglite');
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['AUTH_MODE missing', {}, /^AUTH_MODE: is required/],
    ['AUTH_MODE unknown', { AUTH_MODE: 'saml' }, /^AUTH_MODE: /],
    ['a port out of range', { AUTH_MODE: 'dev', PORT: '70000' }, /^PORT: .*"70000"/],
    ['a non-numeric tolerance', { AUTH_MODE: 'dev', AUTH_CLOCK_TOLERANCE_S: 'soon' }, /^AUTH_CLOCK_TOLERANCE_S: /],
    ['a tolerance over five minutes', { AUTH_MODE: 'dev', AUTH_CLOCK_TOLERANCE_S: '301' }, /^AUTH_CLOCK_TOLERANCE_S: /],
    ['a non-postgres DATABASE_URL', { AUTH_MODE: 'dev', DATABASE_URL: 'mysql://x/y' }, /^DATABASE_URL: /],
    ['okta without an issuer', { AUTH_MODE: 'okta' }, /^AUTH_ISSUER: is required when AUTH_MODE=okta/],
    ['a plain-http issuer off loopback', { AUTH_MODE: 'okta', AUTH_ISSUER: 'http://example.okta.com' }, /^AUTH_ISSUER: must use https/],
    ['a plain-http JWKS off loopback', { AUTH_MODE: 'dev', AUTH_JWKS_URI: 'http://keys.example.com/jwks' }, /^AUTH_JWKS_URI: must use https/],
    ['dev mode in production', { AUTH_MODE: 'dev', NODE_ENV: 'production', AUTH_ISSUER: 'https://i.example', DATABASE_URL: 'postgres://h/d' }, /^AUTH_MODE: "dev"/],
    ['demo data in production', { AUTH_MODE: 'okta', NODE_ENV: 'production', AUTH_ISSUER: 'https://i.example', DATABASE_URL: 'postgres://h/d', DEMO_DATA: 'true' }, /^DEMO_DATA: /],
    ['a wildcard CORS origin', { AUTH_MODE: 'dev', CORS_ORIGINS: 'https://a.example,*' }, /^CORS_ORIGINS: /],
    ['a bad boolean', { AUTH_MODE: 'dev', DEMO_DATA: 'perhaps' }, /^DEMO_DATA: .*"perhaps"/],
    ['an unknown log level', { AUTH_MODE: 'dev', LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
  ])('refuses %s, naming the variable', (_case, env, pattern) => {
    const problems = problemsOf(env);
    expect(problems.some((problem) => pattern.test(problem))).toBe(true);
  });

  it('accepts plain http for an issuer on loopback', () => {
    expect(loadConfig({ AUTH_MODE: 'okta', AUTH_ISSUER: 'http://127.0.0.1:9000/oauth2/default' }).auth.issuer).toBe(
      'http://127.0.0.1:9000/oauth2/default',
    );
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ AUTH_MODE: 'dev', PORT: 'x', LOG_LEVEL: 'loud', SHUTDOWN_DRAIN_S: '-3' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'SHUTDOWN_DRAIN_S']);
  });
});

describe('databaseTargetFromEnv', () => {
  it('follows DATABASE_URL, else PGLITE_DIR', () => {
    expect(databaseTargetFromEnv({ DATABASE_URL: 'postgres://h/d' })).toMatchObject({ driver: 'postgres', url: 'postgres://h/d' });
    expect(databaseTargetFromEnv({ PGLITE_DIR: '/tmp/x' })).toEqual({ driver: 'pglite', dataDir: '/tmp/x' });
    expect(() => databaseTargetFromEnv({ DATABASE_URL: 'file:///etc/passwd' })).toThrow(/DATABASE_URL/);
  });
});
