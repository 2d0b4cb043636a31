/**
 * The development issuer: its tokens go through the same verifier, over loopback HTTP, as
 * Okta's; its key file is shared between processes and private to the user.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenVerifier, DEV_CLIENT_ID, loadDevIssuer, type DevIssuer, type TokenVerifier } from '../../../auth/index.ts';
import { expectInvalid } from './support/expect-rejection.ts';
import { startServer, type TestServer } from './support/http-server.ts';
import { AUDIENCE, frozenClock } from './support/world.ts';

let dir: string;
let server: TestServer;
const verifiers: TokenVerifier[] = [];
let clock = frozenClock();

beforeEach(async () => {
  clock = frozenClock();
  dir = await mkdtemp(join(tmpdir(), 'dev-issuer-'));
  server = await startServer();
});
afterEach(async () => {
  for (const verifier of verifiers.splice(0)) verifier.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Mounts the dev issuer as the gateway will: discovery and JWKS under /dev-issuer. */
function mount(issuer: DevIssuer): string {
  const issuerUrl = `${server.origin}/dev-issuer`;
  server.route('/dev-issuer/.well-known/openid-configuration', () => ({ body: issuer.discoveryDocument(issuerUrl) }));
  server.route('/dev-issuer/jwks', () => ({ body: issuer.jwks() }));
  return issuerUrl;
}

function verifierFor(issuerUrl: string): TokenVerifier {
  const verifier = createTokenVerifier({
    issuer: issuerUrl,
    audience: AUDIENCE,
    clockToleranceS: 60,
    allowedClientIds: [],
    jwksMaxStaleS: 21600,
    now: clock.now,
    keySet: { backgroundRefresh: false },
  });
  verifiers.push(verifier);
  return verifier;
}

describe('dev issuer', () => {
  it('mints an Okta-shaped token that the verifier accepts through discovery and JWKS over HTTP', async () => {
    const issuer = await loadDevIssuer({ keyFile: join(dir, 'dev-issuer.jwk.json'), now: clock.now });
    const issuerUrl = mount(issuer);
    const token = await issuer.mintAccessToken({
      issuer: issuerUrl,
      audience: AUDIENCE,
      subject: 'ada@example.com',
      uid: '00u1ada',
      groups: ['builder-insights-analysts'],
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.kid });
    const verified = await verifierFor(issuerUrl).verify(token);
    expect(verified).toMatchObject({
      subject: 'ada@example.com',
      oktaUserId: '00u1ada',
      clientId: DEV_CLIENT_ID,
      groups: ['builder-insights-analysts'],
      scopes: ['insights.read', 'insights.write'],
      issuedAt: new Date(clock.nowS() * 1000),
      expiresAt: new Date((clock.nowS() + 3600) * 1000),
    });
    expect(verified.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.hits('/dev-issuer/jwks')).toBe(1);
  });

  it('mints a service token (no uid) with the given client, scopes and lifetime', async () => {
    const issuer = await loadDevIssuer({ keyFile: join(dir, 'key.json'), now: clock.now });
    const issuerUrl = mount(issuer);
    const token = await issuer.mintAccessToken({
      issuer: issuerUrl, audience: AUDIENCE, subject: 'dashboard', cid: 'dashboard', scopes: ['insights.read'], ttlSeconds: 60,
    });
    const verified = await verifierFor(issuerUrl).verify(token);
    expect(verified).toMatchObject({ subject: 'dashboard', oktaUserId: undefined, clientId: 'dashboard', groups: [], scopes: ['insights.read'] });
    clock.advance(121);
    await expectInvalid(verifierFor(issuerUrl).verify(token), 'expired');
  });

  it('publishes only the public key, with kid, alg RS256 and use sig', async () => {
    const issuer = await loadDevIssuer({ keyFile: join(dir, 'key.json') });
    const { keys } = issuer.jwks();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: issuer.kid, alg: 'RS256', use: 'sig' });
  });

  it('creates the key file with mode 0600 and reuses it in another instance', async () => {
    const keyFile = join(dir, 'nested', 'dev-issuer.jwk.json');
    const first = await loadDevIssuer({ keyFile, now: clock.now });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const second = await loadDevIssuer({ keyFile, now: clock.now });
    expect(second.kid).toBe(first.kid);
    // A token minted by one process verifies against the JWKS another process serves.
    const issuerUrl = mount(second);
    const token = await first.mintAccessToken({ issuer: issuerUrl, audience: AUDIENCE, subject: 'ada@example.com', uid: '00u1ada' });
    await expect(verifierFor(issuerUrl).verify(token)).resolves.toMatchObject({ oktaUserId: '00u1ada' });
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toHaveProperty('d');
  });

  it('instances racing to create the key file agree on one key', async () => {
    const keyFile = join(dir, 'race.json');
    const issuers = await Promise.all(Array.from({ length: 5 }, () => loadDevIssuer({ keyFile })));
    expect(new Set(issuers.map((issuer) => issuer.kid)).size).toBe(1);
  });

  it.each([
    ['not JSON', '{'],
    ['a public key only', JSON.stringify({ kty: 'RSA', kid: 'x', n: 'AQAB', e: 'AQAB' })],
  ])('refuses a key file that is %s', async (_label, content) => {
    const keyFile = join(dir, 'bad.json');
    await writeFile(keyFile, content, { mode: 0o600 });
    await expect(loadDevIssuer({ keyFile })).rejects.toThrow(/Dev issuer key file/);
  });
});
