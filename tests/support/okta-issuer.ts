/**
 * An Okta-like custom authorization server on loopback, for tests that run the real gateway in
 * `AUTH_MODE=okta`: discovery documents and a JWKS under /oauth2/default, real RSA keys (jose),
 * and access tokens shaped like Okta's (no `typ`, `scp` array, `uid`, `cid`, `groups`, `sub` =
 * the login). The issuer can be taken down (every connection is reset, as a dead upstream
 * would) and brought back on the same port, and counts the hits of every path.
 *
 * Also a canary server: a loopback origin that must never be called (jku/x5u targets).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { DemoPersona } from '../../db/seed/demo.ts';

export const AUDIENCE = 'api://builder-insights';
export const AUTH_SERVER_PATH = '/oauth2/default';
export const JWKS_PATH = `${AUTH_SERVER_PATH}/v1/keys`;
export const DISCOVERY_PATHS = [
  `${AUTH_SERVER_PATH}/.well-known/oauth-authorization-server`,
  `${AUTH_SERVER_PATH}/.well-known/openid-configuration`,
] as const;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public key as an issuer publishes it in its JWKS. */
  readonly publicJwk: JWK;
  /** The public key as SPKI PEM (what an attacker would use as an HMAC secret). */
  readonly publicPem: string;
}

export async function rsaSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

/** Claims as JSON; a value of `undefined` leaves the claim out. */
export type Claims = Record<string, unknown>;

/** Signs `payload` with RS256 and `key`; the header is `{ alg, kid }` plus `header`, no `typ`. */
export async function signRs256(payload: Claims, key: SigningKey, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header }).sign(key.privateKey);
}

const nowS = () => Math.floor(Date.now() / 1000);

/** Okta access-token claims for a demo persona: a person has `uid` and `sub` = email; a service has neither. */
export function personaClaims(persona: DemoPersona, clientId = 'insights-web'): Claims {
  if (persona.kind === 'service') {
    return { sub: persona.clientId, cid: persona.clientId, uid: undefined, groups: undefined, scp: [...persona.scopes] };
  }
  return { sub: persona.email, uid: persona.oktaId, cid: clientId, groups: [...persona.groups], scp: [...persona.scopes, 'openid'] };
}

interface LoopbackServer {
  readonly origin: string;
  readonly server: Server;
  hits(path: string): number;
  totalHits(): number;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse, path: string) => void;

async function listenLoopback(handler: Handler, port = 0): Promise<LoopbackServer> {
  const hits = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://loopback').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    handler(request, response, path);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    server,
    hits: (path) => hits.get(path) ?? 0,
    totalHits: () => [...hits.values()].reduce((sum, count) => sum + count, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export interface OktaIssuer {
  readonly origin: string;
  /** `AUTH_ISSUER`: `<origin>/oauth2/default`. */
  readonly issuer: string;
  /** The key published at start (kid `k1`). */
  readonly key: SigningKey;
  /** Replaces the published key set. */
  publish(keys: readonly SigningKey[]): void;
  /** Down: every request's connection is reset before any byte of response. */
  setAvailable(available: boolean): void;
  jwksHits(): number;
  discoveryHits(): number;
  /** Requests of any path so far. */
  totalHits(): number;
  /** Valid Okta access-token claims, now, overridden by `overrides` (`undefined` removes a claim). */
  claims(overrides?: Claims): Claims;
  /** A valid RS256 access token (k1 unless `key`), overridden by `overrides`. */
  accessToken(overrides?: Claims, key?: SigningKey, header?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startOktaIssuer(): Promise<OktaIssuer> {
  const key = await rsaSigningKey('k1');
  let published: readonly SigningKey[] = [key];
  let available = true;
  let origin = '';
  const issuerUrl = () => `${origin}${AUTH_SERVER_PATH}`;

  const server = await listenLoopback((request, response, path) => {
    if (!available) return void request.socket.destroy();
    if ((DISCOVERY_PATHS as readonly string[]).includes(path)) {
      return sendJson(response, 200, {
        issuer: issuerUrl(),
        jwks_uri: `${origin}${JWKS_PATH}`,
        authorization_endpoint: `${issuerUrl()}/v1/authorize`,
        token_endpoint: `${issuerUrl()}/v1/token`,
        response_types_supported: ['code'],
      });
    }
    if (path === JWKS_PATH) return sendJson(response, 200, { keys: published.map((signing) => signing.publicJwk) });
    sendJson(response, 404, { errorCode: 'E0000022' });
  });
  origin = server.origin;

  const claims = (overrides: Claims = {}): Claims => {
    const now = nowS();
    return {
      ver: 1,
      jti: `AT.${Math.random().toString(36).slice(2)}`,
      iss: issuerUrl(),
      aud: AUDIENCE,
      iat: now,
      exp: now + 3600,
      cid: 'insights-web',
      uid: '00uunknownperson0001',
      scp: ['insights.read', 'insights.write', 'openid'],
      auth_time: now - 60,
      sub: 'someone@example.com',
      groups: ['Everyone'],
      ...overrides,
    };
  };

  return {
    origin,
    issuer: issuerUrl(),
    key,
    publish: (keys) => void (published = [...keys]),
    setAvailable: (up) => {
      available = up;
      if (!up) server.server.closeAllConnections();
    },
    jwksHits: () => server.hits(JWKS_PATH),
    discoveryHits: () => DISCOVERY_PATHS.reduce((sum, path) => sum + server.hits(path), 0),
    totalHits: () => server.totalHits(),
    claims,
    accessToken: (overrides = {}, signing = key, header = {}) => signRs256(claims(overrides), signing, header),
    close: () => server.close(),
  };
}

export interface Canary {
  readonly origin: string;
  /** Requests received on any path: a canary must stay at 0. */
  totalHits(): number;
  close(): Promise<void>;
}

/** A server that answers anything with the attacker's key set, counting the requests it gets. */
export async function startCanary(attackerKey: SigningKey): Promise<Canary> {
  const server = await listenLoopback((_request, response) => sendJson(response, 200, { keys: [attackerKey.publicJwk] }));
  return { origin: server.origin, totalHits: () => server.totalHits(), close: () => server.close() };
}
