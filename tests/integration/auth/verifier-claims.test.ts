/**
 * SECURITY-CATALOG A9–A17: required claims, time boundaries on a frozen clock, claim types,
 * issuer, audience and client, typ policy, structural garbage, prototype pollution, size.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES } from '../../../auth/index.ts';
import { expectInvalid } from './support/expect-rejection.ts';
import { craft, signers } from './support/keys.ts';
import { createWorld, TOLERANCE_S, type World } from './support/world.ts';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.dispose());

const signed = (header: object | string, payload: object | string) => craft(header, payload, signers.rs256(world.k1));

describe('A9: required claims', () => {
  it.each(['exp', 'iss', 'aud', 'sub', 'iat'])('rejects a token without %s', async (claim) => {
    await expectInvalid(world.verifier().verify(world.token({ [claim]: undefined })), 'missing_claim');
  });
});

describe('A10: time boundaries (tolerance 60 s, frozen clock)', () => {
  const now = () => world.clock.nowS();

  it('rejects exp = now when there is no tolerance', async () => {
    await expectInvalid(world.verifier({ clockToleranceS: 0 }).verify(world.token({ exp: now() })), 'expired');
  });

  it('accepts exp = now − (tolerance − 1) and rejects exp = now − tolerance and now − (tolerance + 1)', async () => {
    const verifier = world.verifier();
    await expect(verifier.verify(world.token({ exp: now() - (TOLERANCE_S - 1) }))).resolves.toMatchObject({ subject: 'ada@example.com' });
    await expectInvalid(verifier.verify(world.token({ exp: now() - TOLERANCE_S })), 'expired');
    await expectInvalid(verifier.verify(world.token({ exp: now() - (TOLERANCE_S + 1) })), 'expired');
  });

  it('accepts nbf = now + tolerance − 1 and rejects nbf = now + tolerance + 1', async () => {
    const verifier = world.verifier();
    await expect(verifier.verify(world.token({ nbf: now() + TOLERANCE_S - 1 }))).resolves.toBeDefined();
    await expectInvalid(verifier.verify(world.token({ nbf: now() + TOLERANCE_S + 1 })), 'not_yet_valid');
  });

  it('accepts iat = now + tolerance − 1 and rejects an iat further in the future', async () => {
    const verifier = world.verifier();
    await expect(verifier.verify(world.token({ iat: now() + TOLERANCE_S - 1 }))).resolves.toBeDefined();
    await expectInvalid(verifier.verify(world.token({ iat: now() + TOLERANCE_S + 1 })), 'issued_in_future');
  });

  it('follows the injected clock, not the machine clock', async () => {
    const verifier = world.verifier();
    const token = world.token();
    world.clock.advance(3600 + TOLERANCE_S);
    await expectInvalid(verifier.verify(token), 'expired');
  });
});

describe('A11: wrong claim types', () => {
  it.each([
    ['exp as a string', { exp: '9999999999' }, 'bad_claim_type'],
    ['exp null', { exp: null }, 'bad_claim_type'],
    ['iat as a string', { iat: '1' }, 'bad_claim_type'],
    ['nbf as a string', { nbf: '1' }, 'bad_claim_type'],
    ['aud as an object', { aud: { value: 'api://builder-insights' } }, 'wrong_audience'],
    ['groups as a string', { groups: 'builder-insights-admins' }, 'bad_claim_type'],
    ['groups with a non-string member', { groups: ['Everyone', 7] }, 'bad_claim_type'],
    ['scp as a string', { scp: 'insights.write' }, 'bad_claim_type'],
    ['scope as an array', { scp: undefined, scope: ['insights.write'] }, 'bad_claim_type'],
    ['sub as a number', { sub: 42 }, 'bad_claim_type'],
    ['sub empty', { sub: '' }, 'bad_claim_type'],
    ['uid as an object', { uid: { id: '00u1' } }, 'bad_claim_type'],
    ['cid as a number', { cid: 1 }, 'bad_claim_type'],
    ['jti as a number', { jti: 1 }, 'bad_claim_type'],
  ] as const)('rejects %s', async (_label, overrides, reason) => {
    await expectInvalid(world.verifier().verify(world.token(overrides)), reason);
  });

  it('rejects iss as an array holding the right issuer', async () => {
    await expectInvalid(world.verifier().verify(world.token({ iss: [world.issuer] })), 'wrong_issuer');
  });

  it('reads RFC 9068 `scope` as a space-separated string', async () => {
    const verified = await world.verifier().verify(world.token({ scp: undefined, scope: 'insights.read  insights.write' }));
    expect(verified.scopes).toEqual(['insights.read', 'insights.write']);
  });
});

describe('A12/A13: issuer, audience and client', () => {
  it('rejects a token of the Okta org authorization server (its typ first, its iss otherwise)', async () => {
    const orgIssuer = world.server.origin;
    const withTyp = signed({ alg: 'RS256', kid: 'k1', typ: 'application/okta-internal-at+jwt' }, world.claims({ iss: orgIssuer }));
    await expectInvalid(world.verifier().verify(withTyp), 'typ_not_allowed');
    await expectInvalid(world.verifier().verify(world.token({ iss: orgIssuer })), 'wrong_issuer');
  });

  it.each(['/oauth2/other', '/oauth2/default/'])('rejects a token from issuer path %s', async (path) => {
    await expectInvalid(world.verifier().verify(world.token({ iss: `${world.server.origin}${path}` })), 'wrong_issuer');
  });

  it('rejects an ID token of the same authorization server (aud = client id, nonce, no scp/cid)', async () => {
    const idToken = world.token({ aud: '0oa-client', nonce: 'n-0S6_WzA2Mj', at_hash: 'x', scp: undefined, cid: undefined });
    await expectInvalid(world.verifier().verify(idToken), 'wrong_audience');
  });

  it('rejects a token for another API and accepts an aud list that includes ours', async () => {
    const verifier = world.verifier();
    await expectInvalid(verifier.verify(world.token({ aud: 'api://other' })), 'wrong_audience');
    await expect(verifier.verify(world.token({ aud: ['api://other', 'api://builder-insights'] }))).resolves.toBeDefined();
  });

  it('with a client allow-list: accepts a listed cid, rejects an unlisted or missing one', async () => {
    const verifier = world.verifier({ allowedClientIds: ['insights-web', 'dashboard'] });
    await expect(verifier.verify(world.token({ cid: 'dashboard' }))).resolves.toMatchObject({ clientId: 'dashboard' });
    await expectInvalid(verifier.verify(world.token({ cid: 'rogue-app' })), 'client_not_allowed');
    await expectInvalid(verifier.verify(world.token({ cid: undefined })), 'client_not_allowed');
  });

  it('without an allow-list, a token with no cid is accepted', async () => {
    await expect(world.verifier().verify(world.token({ cid: undefined }))).resolves.toMatchObject({ clientId: undefined });
  });
});

describe('A14: typ policy', () => {
  it.each([undefined, 'JWT', 'jwt', 'at+jwt', 'application/at+jwt', 'AT+JWT'])('accepts typ %s', async (typ) => {
    await expect(world.verifier().verify(signed({ alg: 'RS256', kid: 'k1', typ }, world.claims()))).resolves.toBeDefined();
  });

  it.each(['dpop+jwt', 'logout+jwt', 'secevent+jwt', 'application/okta-internal-at+jwt', 'JWE', '', 1])(
    'rejects typ %j without fetching keys',
    async (typ) => {
      await expectInvalid(world.verifier().verify(signed({ alg: 'RS256', kid: 'k1', typ }, world.claims())), 'typ_not_allowed');
      expect(world.jwksHits()).toBe(0);
    },
  );
});

describe('A15: structural garbage', () => {
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1' })).toString('base64url');

  it.each(['0', '[]', '""', '{', 'null'])('rejects payload %s (signed correctly)', async (payload) => {
    await expectInvalid(world.verifier().verify(signed({ alg: 'RS256', kid: 'k1' }, payload)), 'malformed');
  });

  it.each([
    ['2 segments', () => world.token().split('.').slice(0, 2).join('.')],
    ['4 segments', () => `${world.token()}.x`],
    ['5 segments (JWE)', () => `${head}.a.b.c.d`],
    ['non-base64url characters', () => world.token().replace('.', '.*')],
    ['an empty string', () => ''],
    ['JWS JSON serialisation', () => JSON.stringify({ protected: head, payload: 'e30', signature: 'AA' })],
    ['a header that is not JSON', () => `${Buffer.from('{').toString('base64url')}.e30.AA`],
  ])('rejects %s', async (_label, make) => {
    await expectInvalid(world.verifier().verify(make()), 'malformed');
    expect(world.jwksHits()).toBe(0);
  });

  it('rejects `=` padding added to a segment', async () => {
    const [h, p, s] = world.token().split('.');
    await expectInvalid(world.verifier().verify(`${h}.${p}=.${s}`), 'malformed');
    expect(world.jwksHits()).toBe(0);
  });
});

describe('A16: prototype-pollution claims', () => {
  it('builds the principal by explicit picks: __proto__ and constructor claims change nothing', async () => {
    const claims = JSON.stringify(world.claims({ groups: undefined }));
    const hostile = `{"__proto__":{"groups":["builder-insights-admins"],"roles":["admin"]},"constructor":{"prototype":{"roles":["admin"]}},${claims.slice(1)}`;
    const verified = await world.verifier().verify(signed({ alg: 'RS256', kid: 'k1' }, hostile));
    expect(verified.groups).toEqual([]);
    expect(Object.keys(verified).sort()).toEqual(['clientId', 'expiresAt', 'groups', 'issuedAt', 'oktaUserId', 'scopes', 'subject', 'tokenId']);
    expect(Object.getPrototypeOf(verified)).toBe(Object.prototype);
    expect(Object.hasOwn(Object.prototype, 'roles')).toBe(false);
    expect(({} as Record<string, unknown>)['roles']).toBeUndefined();
  });
});

describe('A17: oversized tokens', () => {
  const withPadding = (length: number) => world.token({ pad: 'x'.repeat(length) });

  it(`accepts a token of exactly ${MAX_TOKEN_BYTES} bytes and rejects one byte more as too_large`, async () => {
    const base = withPadding(0).length;
    // Every 3 padding bytes add 4 base64url characters: search the padding that lands on the cap.
    let padding = Math.floor(((MAX_TOKEN_BYTES - base) * 3) / 4) - 3;
    while (withPadding(padding).length < MAX_TOKEN_BYTES) padding += 1;
    const atCap = withPadding(padding);
    const verifier = world.verifier();
    if (atCap.length === MAX_TOKEN_BYTES) await expect(verifier.verify(atCap)).resolves.toBeDefined();
    else await expect(verifier.verify(withPadding(padding - 1))).resolves.toBeDefined();
    const over = atCap.length > MAX_TOKEN_BYTES ? atCap : withPadding(padding + 1);
    expect(over.length).toBeGreaterThan(MAX_TOKEN_BYTES);
    await expectInvalid(verifier.verify(over), 'too_large');
  });
});
