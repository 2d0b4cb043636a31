/**
 * One test world: a loopback issuer (an Okta-like custom authorization server at
 * /oauth2/default) serving discovery and JWKS, a frozen clock, signing keys, and verifiers
 * wired to them. Every verifier made here is closed by `dispose()`.
 */
import { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from '../../../../auth/index.ts';
import { startServer, type Route, type TestServer } from './http-server.ts';
import { craft, rsaKey, signers, type TestKey } from './keys.ts';

export const AUDIENCE = 'api://builder-insights';
/** 2026-11-20T12:00:00Z: every test runs at this instant unless it moves the clock. */
export const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
export const TOLERANCE_S = 60;

export interface Clock {
  now(): number;
  nowS(): number;
  advance(seconds: number): void;
}

export function frozenClock(start = T0): Clock {
  let ms = start;
  return { now: () => ms, nowS: () => Math.floor(ms / 1000), advance: (seconds) => void (ms += seconds * 1000) };
}

export interface World {
  readonly server: TestServer;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly jwksPath: string;
  readonly clock: Clock;
  readonly k1: TestKey;
  publish(keys: readonly TestKey[]): void;
  replyJwks(route: Route): void;
  jwksHits(): number;
  verifier(overrides?: Partial<TokenVerifierOptions>): TokenVerifier;
  /** Claims of a valid Okta access token at the clock's now; `undefined` values are left out. */
  claims(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** A valid RS256 token signed by `key` (default k1). */
  token(overrides?: Record<string, unknown>, key?: TestKey, header?: Record<string, unknown>): string;
  dispose(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  const server = await startServer();
  const base = '/oauth2/default';
  const issuer = `${server.origin}${base}`;
  const jwksPath = `${base}/v1/keys`;
  const jwksUri = `${server.origin}${jwksPath}`;
  const clock = frozenClock();
  const k1 = rsaKey('k1');
  const verifiers: TokenVerifier[] = [];
  const metadata = { issuer, jwks_uri: jwksUri, authorization_endpoint: `${issuer}/v1/authorize` };
  server.route(`${base}/.well-known/oauth-authorization-server`, { body: metadata });
  server.route(`${base}/.well-known/openid-configuration`, { body: metadata });
  const publish = (keys: readonly TestKey[]) => server.route(jwksPath, { body: { keys: keys.map((key) => key.jwk) } });
  publish([k1]);

  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: issuer,
    aud: AUDIENCE,
    sub: 'ada@example.com',
    uid: '00u1ada',
    cid: 'insights-web',
    scp: ['insights.read', 'openid'],
    groups: ['Everyone', 'builder-insights-analysts'],
    iat: clock.nowS(),
    exp: clock.nowS() + 3600,
    jti: 'AT.abc',
    ...overrides,
  });

  return {
    server,
    issuer,
    jwksUri,
    jwksPath,
    clock,
    k1,
    publish,
    replyJwks: (route) => server.route(jwksPath, route),
    jwksHits: () => server.hits(jwksPath),
    verifier: (overrides = {}) => {
      const verifier = createTokenVerifier({
        issuer,
        audience: AUDIENCE,
        clockToleranceS: TOLERANCE_S,
        allowedClientIds: [],
        jwksMaxStaleS: 21600,
        now: clock.now,
        keySet: { backgroundRefresh: false },
        ...overrides,
      });
      verifiers.push(verifier);
      return verifier;
    },
    claims,
    token: (overrides = {}, key = k1, header = {}) =>
      craft({ alg: 'RS256', kid: key.kid, ...header }, claims(overrides), signers.rs256(key)),
    dispose: async () => {
      for (const verifier of verifiers) verifier.close();
      await server.close();
    },
  };
}
