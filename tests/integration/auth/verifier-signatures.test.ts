/**
 * SECURITY-CATALOG A1–A8: forged algorithms, broken signatures, keys smuggled in headers,
 * kid injection and crit abuse, against a real loopback issuer with real RSA keys.
 * Each forged token differs from the accepted control token in one attribute only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/http-server.ts';
import { expectInvalid } from './support/expect-rejection.ts';
import { craft, ecKey, rsaKey, signers } from './support/keys.ts';
import { AUDIENCE, createWorld, type World } from './support/world.ts';

let world: World;
let canary: TestServer;
beforeEach(async () => {
  world = await createWorld();
  canary = await startServer();
});
afterEach(async () => {
  await world.dispose();
  await canary.close();
});

const header = (extra: Record<string, unknown> = {}) => ({ alg: 'RS256', kid: 'k1', ...extra });

describe('control', () => {
  it('accepts a valid Okta access token and returns its claims', async () => {
    const verified = await world.verifier().verify(world.token());
    expect(verified).toEqual({
      subject: 'ada@example.com',
      oktaUserId: '00u1ada',
      clientId: 'insights-web',
      groups: ['Everyone', 'builder-insights-analysts'],
      scopes: ['insights.read', 'openid'],
      issuedAt: new Date(world.clock.nowS() * 1000),
      expiresAt: new Date((world.clock.nowS() + 3600) * 1000),
      tokenId: 'AT.abc',
    });
    expect(world.jwksHits()).toBe(1);
  });
});

describe('A1: alg none and HMAC key confusion', () => {
  const noneVariants = ['none', 'None', 'NONE', 'nOnE'];
  it.each(noneVariants)('rejects alg=%s with an empty signature, without fetching keys', async (alg) => {
    const token = craft(header({ alg }), world.claims(), signers.none());
    await expectInvalid(world.verifier().verify(token), 'alg_not_allowed');
    expect(world.jwksHits()).toBe(0);
  });

  it.each(noneVariants)('rejects alg=%s carrying a signature copied from a valid token', async (alg) => {
    const signature = world.token().split('.')[2] ?? '';
    const [head, body] = craft(header({ alg }), world.claims(), signers.none()).split('.');
    await expectInvalid(world.verifier().verify(`${head}.${body}.${signature}`), 'alg_not_allowed');
  });

  it('rejects HS256 signed with the public key as PEM', async () => {
    const pem = world.k1.publicKey.export({ format: 'pem', type: 'spki' });
    const token = craft(header({ alg: 'HS256' }), world.claims(), signers.hs256(pem));
    await expectInvalid(world.verifier().verify(token), 'alg_not_allowed');
  });

  it('rejects HS256 signed with the published JWK bytes, and with an empty secret', async () => {
    const verifier = world.verifier();
    const jwkBytes = JSON.stringify(world.k1.jwk);
    await expectInvalid(verifier.verify(craft(header({ alg: 'HS256' }), world.claims(), signers.hs256(jwkBytes))), 'alg_not_allowed');
    await expectInvalid(verifier.verify(craft(header({ alg: 'HS256' }), world.claims(), signers.hs256(''))), 'alg_not_allowed');
    expect(world.jwksHits()).toBe(0);
  });
});

describe('A2: stripped and truncated signatures', () => {
  it('rejects header.payload. (signature stripped)', async () => {
    const [head, body] = world.token().split('.');
    await expectInvalid(world.verifier().verify(`${head}.${body}.`), 'bad_signature');
  });

  it('rejects a signature cut by 3 characters', async () => {
    await expectInvalid(world.verifier().verify(world.token().slice(0, -3)), 'bad_signature');
  });

  it('rejects a valid signature over a different payload', async () => {
    const signature = world.token().split('.')[2] ?? '';
    const [head, body] = world.token({ sub: 'admin@example.com' }).split('.');
    await expectInvalid(world.verifier().verify(`${head}.${body}.${signature}`), 'bad_signature');
  });
});

describe('A3/A4: algorithms outside the RS256 allow-list', () => {
  it('rejects ES256 even when the issuer publishes the EC key', async () => {
    const ec = ecKey('ec1');
    world.publish([world.k1, ec]);
    const token = craft({ alg: 'ES256', kid: 'ec1' }, world.claims(), signers.es256(ec));
    await expectInvalid(world.verifier().verify(token), 'alg_not_allowed');
  });

  it('rejects the ES256 "psychic signature" (r = s = 0)', async () => {
    const token = craft({ alg: 'ES256', kid: 'ec1' }, world.claims(), () => Buffer.alloc(64));
    await expectInvalid(world.verifier().verify(token), 'alg_not_allowed');
  });

  it.each([
    ['PS256', signers.ps256],
    ['RS384', signers.rs384],
  ])('rejects %s signed by the legitimate key', async (alg, signer) => {
    const token = craft(header({ alg }), world.claims(), signer(world.k1));
    await expectInvalid(world.verifier().verify(token), 'alg_not_allowed');
  });
});

describe('A5/A6: keys and key URLs in the token are never used', () => {
  const attacker = rsaKey('k1');

  it('rejects an embedded jwk header carrying the attacker key', async () => {
    const token = craft(header({ jwk: attacker.jwk }), world.claims(), signers.rs256(attacker));
    await expectInvalid(world.verifier().verify(token), 'header_not_allowed');
  });

  it('rejects an x5c header', async () => {
    const token = craft(header({ x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }), world.claims(), signers.rs256(attacker));
    await expectInvalid(world.verifier().verify(token), 'header_not_allowed');
  });

  it.each(['jku', 'x5u'])('rejects a %s header and never calls the URL it names', async (name) => {
    canary.route('/jwks', { body: { keys: [attacker.jwk] } });
    const token = craft(header({ [name]: `${canary.origin}/jwks` }), world.claims(), signers.rs256(attacker));
    await expectInvalid(world.verifier().verify(token), 'header_not_allowed');
    expect(canary.totalHits()).toBe(0);
  });

  it('signed by an attacker key under the legitimate kid, fails the signature check', async () => {
    const token = craft(header(), world.claims(), signers.rs256(attacker));
    await expectInvalid(world.verifier().verify(token), 'bad_signature');
  });
});

describe('A7: kid injection', () => {
  const attacker = rsaKey('x');
  const injected = ['../../../../dev/null', "' OR '1'='1", '$(id)', 'k1\u0000', 'ключ-🔑', 'x'.repeat(4000)];

  it.each(injected.map((kid) => [kid.slice(0, 24), kid]))('rejects kid %j as an unknown key', async (_label, kid) => {
    const token = craft(header({ kid }), world.claims(), signers.rs256(attacker));
    await expectInvalid(world.verifier().verify(token), 'unknown_key');
  });

  it('uses kid only as a lookup key: many injected kids cost one refetch per cooldown at most', async () => {
    const verifier = world.verifier();
    await verifier.verify(world.token());
    world.clock.advance(31);
    for (const kid of injected) {
      await expectInvalid(verifier.verify(craft(header({ kid }), world.claims(), signers.rs256(attacker))), 'unknown_key');
    }
    expect(world.jwksHits()).toBe(2);
  });

  it('rejects a non-string kid without a key lookup', async () => {
    const token = craft(header({ kid: 1 }), world.claims(), signers.rs256(world.k1));
    await expectInvalid(world.verifier().verify(token), 'malformed');
    expect(world.jwksHits()).toBe(0);
  });
});

describe('A8: crit', () => {
  it('rejects an unrecognised critical extension that is present', async () => {
    const token = craft(header({ crit: ['x'], x: 1 }), world.claims(), signers.rs256(world.k1));
    await expectInvalid(world.verifier().verify(token), 'header_not_allowed');
  });

  it('rejects an empty crit list', async () => {
    const token = craft(header({ crit: [] }), world.claims(), signers.rs256(world.k1));
    await expectInvalid(world.verifier().verify(token), 'malformed');
  });

  it.each([true, false])('rejects crit ["b64"] with b64=%s', async (b64) => {
    const token = craft(header({ crit: ['b64'], b64 }), world.claims(), signers.rs256(world.k1));
    await expectInvalid(world.verifier().verify(token), 'header_not_allowed');
  });
});

describe('B9: the JWKS URL is pinned', () => {
  it('a token naming another issuer causes no fetch anywhere but the configured key set', async () => {
    canary.route('/.well-known/openid-configuration', { body: { issuer: canary.origin, jwks_uri: `${canary.origin}/jwks` } });
    const token = world.token({ iss: canary.origin });
    await expectInvalid(world.verifier({ audience: AUDIENCE }).verify(token), 'wrong_issuer');
    expect(canary.totalHits()).toBe(0);
  });
});
