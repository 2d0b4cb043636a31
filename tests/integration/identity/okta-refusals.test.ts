/**
 * Issue 3 acceptance, refusals: the real gateway in AUTH_MODE=okta, over HTTP, against a
 * loopback Okta-like issuer with real RSA keys. Every refused token differs from the accepted
 * control token in one attribute. Each refusal is checked for its status, its RFC 6750
 * challenge, its GraphQL code, the absence of `data`, a body that is the same whatever check
 * failed, and the operator's `reason` in the gateway's log line for that request; at the end no
 * token sent here may appear anywhere in the gateway's output (SECURITY-CATALOG A, DESIGN §2, §9).
 */
import { createHmac } from 'node:crypto';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonas, type DemoPersonPersona } from '../../../db/seed/demo.ts';
import {
  bearer,
  callGraphQL,
  expectData,
  expectRefusal,
  leakedSecrets,
  rawPost,
  refusalReason,
  startOktaGateway,
  TokenLedger,
  type OktaGateway,
  type Reply,
} from '../../support/okta-gateway.ts';
import {
  personaClaims,
  rsaSigningKey,
  signRs256,
  startCanary,
  startOktaIssuer,
  type Canary,
  type Claims,
  type OktaIssuer,
  type SigningKey,
} from '../../support/okta-issuer.ts';

const ME = '{ me { kind roles scopes person { id } clientId policyVersion tokenExpiresAt } }';
const REPORTS = '{ reports(first: 5) { totalCount edges { node { id title } } } }';
const CREATE_REPORT = 'mutation { createReport(input: { title: "x" }) { id } }';

const builder = demoPersonas.find((persona): persona is DemoPersonPersona => persona.key === 'builder');
if (!builder) throw new Error('the demo org has no builder persona');

const INVALID_TOKEN = { status: 401, challenge: { error: 'invalid_token' }, code: 'UNAUTHENTICATED' } as const;
const INVALID_REQUEST = { status: 400, challenge: { error: 'invalid_request' }, code: 'BAD_USER_INPUT' } as const;

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

describe('okta mode: refusals over HTTP', () => {
  let issuer: OktaIssuer;
  let attacker: SigningKey;
  let canary: Canary;
  let gateway: OktaGateway;
  const ledger = new TokenLedger();
  /** The body every invalid-token refusal must share, whatever check failed. */
  let invalidTokenBody: string;

  /** A valid Okta access token of the builder persona, with `overrides` applied. */
  const builderToken = (overrides: Claims = {}) => issuer.accessToken({ ...personaClaims(builder), ...overrides });
  const send = (token: string, query = ME) => callGraphQL(gateway.url, { authorization: bearer(ledger.record(token)), query });

  beforeAll(async () => {
    issuer = await startOktaIssuer();
    attacker = await rsaSigningKey('attacker');
    canary = await startCanary(attacker);
    gateway = await startOktaGateway(issuer);
    invalidTokenBody = (await send('this-is-not-a-jwt-at-all')).text;
  });
  afterAll(async () => {
    await gateway?.stop();
    await canary?.close();
    await issuer?.close();
  });

  it('control: accepts a valid Okta access token (no typ, scp array, uid, cid, groups, sub = email)', async () => {
    const token = await builderToken();
    const data = expectData(await send(token));
    expect(data.me).toMatchObject({ kind: 'PERSON', person: { id: builder.personId }, clientId: 'insights-web' });
    expect(issuer.jwksHits()).toBe(1);
  });

  it('control: typ JWT or at+jwt and a lower-case "bearer" scheme are accepted too', async () => {
    for (const typ of ['JWT', 'at+jwt']) {
      expectData(await send(await signRs256(issuer.claims(personaClaims(builder)), issuer.key, { typ })));
    }
    const token = ledger.record(await builderToken());
    expectData(await callGraphQL(gateway.url, { authorization: `bearer ${token}`, query: ME }));
  });

  it('no Authorization header: 401 with a bare Bearer challenge (no error attribute), UNAUTHENTICATED, no data', async () => {
    const reply = await callGraphQL(gateway.url, { query: ME });
    expectRefusal(reply, { status: 401, challenge: {}, code: 'UNAUTHENTICATED' });
    expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="builder-insights"');
    expect(await refusalReason(gateway, reply)).toBe('no_token');
  });

  it('a non-Bearer scheme counts as no bearer credentials: 401 with a bare challenge', async () => {
    const basic = ledger.record(Buffer.from('ada.lovelace:correct-horse-battery').toString('base64'));
    const reply = await callGraphQL(gateway.url, { authorization: `Basic ${basic}`, query: ME });
    expectRefusal(reply, { status: 401, challenge: {}, code: 'UNAUTHENTICATED' });
  });

  describe('401 invalid_token, one case per forgery', () => {
    interface Case {
      readonly name: string;
      readonly token: () => Promise<string>;
      /** The operator reason logged for it (auth/errors.ts InvalidTokenReason). */
      readonly reason: string;
    }

    const cases: Case[] = [
      { name: 'garbage (not a JWT)', token: async () => 'not-a-jwt-just-some-b64token-characters', reason: 'malformed' },
      { name: 'expired an hour ago', token: () => builderToken({ iat: nowS() - 7200, exp: nowS() - 3600 }), reason: 'expired' },
      { name: 'nbf an hour in the future', token: () => builderToken({ nbf: nowS() + 3600 }), reason: 'not_yet_valid' },
      { name: 'wrong iss (another authorization server of the same host)', token: () => builderToken({ iss: `${issuer.origin}/oauth2/other` }), reason: 'wrong_issuer' },
      { name: 'wrong aud (a token for another API)', token: () => builderToken({ aud: 'api://another-api' }), reason: 'wrong_audience' },
      {
        name: 'alg none with an empty signature',
        token: async () => new UnsecuredJWT(issuer.claims(personaClaims(builder))).encode(),
        reason: 'alg_not_allowed',
      },
      {
        name: 'HS256 signed with the issuer public key (PEM) as the secret',
        token: async () => {
          const claims = issuer.claims(personaClaims(builder));
          const input = `${segment({ alg: 'HS256', kid: issuer.key.kid })}.${segment(claims)}`;
          return `${input}.${createHmac('sha256', issuer.key.publicPem).update(input).digest('base64url')}`;
        },
        reason: 'alg_not_allowed',
      },
      {
        name: 'unknown kid (a key the issuer never published)',
        token: async () => signRs256(issuer.claims(personaClaims(builder)), await rsaSigningKey('k-never-published')),
        reason: 'unknown_key',
      },
      {
        name: 'tampered payload (admin group added, signature kept)',
        token: async () => {
          const [head, , signature] = (await builderToken()).split('.');
          const forged = issuer.claims({ ...personaClaims(builder), groups: ['builder-insights-admins'] });
          return `${head}.${segment(forged)}.${signature}`;
        },
        reason: 'bad_signature',
      },
      {
        name: 'stripped signature (header.payload.)',
        token: async () => `${(await builderToken()).split('.').slice(0, 2).join('.')}.`,
        reason: 'bad_signature',
      },
      {
        name: 'embedded jwk header carrying the attacker key, signed by it',
        token: () => signRs256(issuer.claims(personaClaims(builder)), attacker, { jwk: attacker.publicJwk }),
        reason: 'header_not_allowed',
      },
      {
        name: 'jku header pointing at the attacker key set (canary)',
        token: () => signRs256(issuer.claims(personaClaims(builder)), attacker, { jku: `${canary.origin}/jwks.json` }),
        reason: 'header_not_allowed',
      },
      {
        name: 'x5u header pointing at the attacker (canary)',
        token: () => signRs256(issuer.claims(personaClaims(builder)), attacker, { x5u: `${canary.origin}/cert.pem` }),
        reason: 'header_not_allowed',
      },
      {
        name: 'over 8 KB (validly signed, padded with groups)',
        token: () => builderToken({ groups: Array.from({ length: 400 }, (_, index) => `padding-group-${index}`) }),
        reason: 'too_large',
      },
      {
        name: 'an ID token of the same issuer (aud = client id, nonce, no scp/cid)',
        token: () =>
          builderToken({ aud: 'insights-web', nonce: 'n-0S6_WzA2Mj', amr: ['pwd'], idp: '00o1okta', at_hash: 'x8Tn6vWu', scp: undefined, cid: undefined }),
        reason: 'wrong_audience',
      },
      { name: 'groups as a string, not an array', token: () => builderToken({ groups: 'builder-insights-admins' }), reason: 'bad_claim_type' },
      { name: 'no exp', token: () => builderToken({ exp: undefined }), reason: 'missing_claim' },
      { name: 'no iat', token: () => builderToken({ iat: undefined }), reason: 'missing_claim' },
      { name: 'no sub', token: () => builderToken({ sub: undefined }), reason: 'missing_claim' },
      {
        name: 'typ of another kind of token (Okta org authorization server)',
        token: async () => signRs256(issuer.claims(personaClaims(builder)), issuer.key, { typ: 'application/okta-internal-at+jwt' }),
        reason: 'typ_not_allowed',
      },
    ];

    it.each(cases)('$name', async ({ token: make, reason }) => {
      const token = await make();
      const reply = await send(token);
      expectRefusal(reply, INVALID_TOKEN);
      expect(reply.text, 'the same body whatever check failed').toBe(invalidTokenBody);
      expect(reply.text).not.toContain(token.split('.')[1] || token);
      expect(await refusalReason(gateway, reply)).toBe(reason);
    });

    it('the over-8-KB case is really over 8 KB and under the 16 KiB header limit', async () => {
      const token = await builderToken({ groups: Array.from({ length: 400 }, (_, index) => `padding-group-${index}`) });
      expect(token.length).toBeGreaterThan(8192);
      expect(token.length).toBeLessThan(12_000);
    });

    it('the jku/x5u/jwk forgeries made no request to the attacker (canary: 0 hits), and the canary does count', async () => {
      expect(canary.totalHits()).toBe(0);
      await fetch(`${canary.origin}/self-check`).then((response) => response.text());
      expect(canary.totalHits()).toBe(1);
    });
  });

  describe('400 invalid_request and 431: credentials that cannot be read', () => {
    it.each([
      ['"Bearer" with no token', 'Bearer'],
      ['"Bearer a b" (whitespace inside the token)', 'Bearer a b'],
      ['a token with a comma list', 'Bearer abc,def'],
    ])('%s → 400 invalid_request', async (_name, authorization) => {
      const reply = await callGraphQL(gateway.url, { authorization, query: ME });
      expectRefusal(reply, INVALID_REQUEST);
      expect(await refusalReason(gateway, reply)).toBe('malformed_authorization');
    });

    it('a valid token in the query string (?access_token=) → 400 invalid_request, never accepted', async () => {
      const token = ledger.record(await builderToken());
      const reply = await callGraphQL(gateway.url, { search: `?access_token=${token}`, query: ME });
      expectRefusal(reply, INVALID_REQUEST);
      expect(await refusalReason(gateway, reply)).toBe('token_in_query');
    });

    it('the token both in the header and the query string → 400 invalid_request', async () => {
      const token = ledger.record(await builderToken());
      const reply = await callGraphQL(gateway.url, { authorization: bearer(token), search: `?access_token=${token}`, query: ME });
      expectRefusal(reply, INVALID_REQUEST);
      expect(await refusalReason(gateway, reply)).toBe('token_sent_twice');
    });

    it('two Authorization headers → 400, whichever of them is valid', async () => {
      const valid = ledger.record(await builderToken());
      const status = await rawPost(gateway.url, { authorization: [bearer(valid), bearer(ledger.record(await builderToken({ uid: '00unobody00000000001' })))] });
      expect(status).toBe(400);
    });

    it('request headers over 16 KiB → 431 from Node, and the gateway keeps serving', async () => {
      const token = ledger.record(await builderToken());
      const status = await rawPost(gateway.url, { authorization: bearer(token), 'x-padding': 'p'.repeat(17 * 1024) });
      expect(status).toBe(431);
      expectData(await send(await builderToken()));
    });
  });

  describe('403 insufficient_scope', () => {
    it('a token without insights.read running a query → 403, scope="insights.read", FORBIDDEN, no data', async () => {
      const reply = await send(await builderToken({ scp: ['openid', 'insights.write'] }), REPORTS);
      expectRefusal(reply, { status: 403, challenge: { error: 'insufficient_scope', scope: 'insights.read' }, code: 'FORBIDDEN' });
    });

    it('a read-only token running a mutation → 403, scope="insights.write", and no report is created', async () => {
      const count = async () => {
        const data = expectData(await send(await builderToken(), REPORTS));
        return (data.reports as { totalCount: number }).totalCount;
      };
      const before = await count();
      const reply = await send(await builderToken({ scp: ['openid', 'insights.read'] }), CREATE_REPORT);
      expectRefusal(reply, { status: 403, challenge: { error: 'insufficient_scope', scope: 'insights.write' }, code: 'FORBIDDEN' });
      expect(await count()).toBe(before);
    });

    it('control: the same mutation with insights.write creates the report', async () => {
      const reply = await send(await builderToken(), CREATE_REPORT);
      expect(expectData(reply).createReport).toMatchObject({ id: expect.any(String) });
    });

    it('scopes also come from an RFC 9068 space-separated `scope` string', async () => {
      const data = expectData(await send(await builderToken({ scp: undefined, scope: 'openid insights.read' }), ME));
      expect(data.me).toMatchObject({ scopes: expect.arrayContaining(['insights.read']) });
    });
  });

  describe('logs', () => {
    it('no token sent above (whole or its signature) appears anywhere in the gateway output', () => {
      // Every request above recorded its credentials; the ledger holds them all.
      expect(ledger.size).toBeGreaterThanOrEqual(20);
      expect(leakedSecrets(gateway.output(), ledger)).toEqual([]);
    });

    it('the leak search is able to find a token that the output does contain (self-check)', () => {
      const probe = new TokenLedger();
      const [line] = gateway.process.logs.filter((entry) => typeof entry.requestId === 'string');
      probe.record(`${String(line?.requestId)}`);
      expect(leakedSecrets(gateway.output(), probe)).toHaveLength(1);
    });
  });
});

describe('okta mode with AUTH_ALLOWED_CLIENT_IDS', () => {
  let issuer: OktaIssuer;
  let gateway: OktaGateway;
  const ledger = new TokenLedger();
  const send = async (overrides: Claims): Promise<Reply> =>
    callGraphQL(gateway.url, { authorization: bearer(ledger.record(await issuer.accessToken({ ...personaClaims(builder), ...overrides }))), query: ME });

  beforeAll(async () => {
    issuer = await startOktaIssuer();
    gateway = await startOktaGateway(issuer, { AUTH_ALLOWED_CLIENT_IDS: 'insights-web,dashboard-service' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await issuer?.close();
  });

  it('control: a listed cid is accepted', async () => {
    expect(expectData(await send({ cid: 'insights-web' })).me).toMatchObject({ kind: 'PERSON', clientId: 'insights-web' });
  });

  it('a cid not in the list → 401 invalid_token', async () => {
    const reply = await send({ cid: 'rogue-spa' });
    expectRefusal(reply, INVALID_TOKEN);
    expect(await refusalReason(gateway, reply)).toBe('client_not_allowed');
  });

  it('no cid at all → 401 invalid_token', async () => {
    const reply = await send({ cid: undefined });
    expectRefusal(reply, INVALID_TOKEN);
    expect(await refusalReason(gateway, reply)).toBe('client_not_allowed');
  });

  it('no token sent here appears in the gateway output', () => {
    expect(ledger.size).toBe(3);
    expect(leakedSecrets(gateway.output(), ledger)).toEqual([]);
  });
});
