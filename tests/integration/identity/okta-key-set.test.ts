/**
 * Issue 3 acceptance, the issuer's key set seen from the gateway (SECURITY-CATALOG B1, B3, B5;
 * DESIGN §2):
 * - with no key set ever loaded a token cannot be checked: 503 with Retry-After, never a 200
 *   (and not a 401, which would make clients drop a good token); service resumes once the
 *   issuer is back;
 * - a key published after the first load is accepted without a restart;
 * - once a key set is held, an issuer outage does not stop valid tokens;
 * - an unknown kid costs one JWKS refresh, then a 401, and no more fetches within the cooldown.
 *
 * Timing: the gateway refreshes on an unknown `kid` at most once per cooldown (30 s, not
 * configurable from the environment), so rotation and unknown kids need a key set loaded more
 * than one cooldown earlier. A gateway start costs seconds, so this file runs two gateways,
 * started together: `cold` (its issuer is down at start) and `rotating`. The cooldowns of both
 * run out while the other cases run; the describes below are in the order that makes that so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonas, type DemoPersona, type DemoPersonPersona } from '../../../db/seed/demo.ts';
import {
  bearer,
  callGraphQL,
  expectData,
  expectRefusal,
  leakedSecrets,
  refusalReason,
  startOktaGateway,
  TokenLedger,
  type OktaGateway,
  type Reply,
} from '../../support/okta-gateway.ts';
import { personaClaims, rsaSigningKey, signRs256, startOktaIssuer, type OktaIssuer, type SigningKey } from '../../support/okta-issuer.ts';

const ME = '{ me { kind roles person { id } } }';
/** The key set's refresh-on-unknown-kid cooldown (auth/key-set.ts default), plus a margin. */
const COOLDOWN_MS = 30_000;
const MARGIN_MS = 1_500;
const INVALID_TOKEN = { status: 401, challenge: { error: 'invalid_token' }, code: 'UNAUTHENTICATED' } as const;

function persona(key: string): DemoPersona {
  const found = demoPersonas.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no demo persona ${key}`);
  return found;
}
const builder = persona('builder') as DemoPersonPersona;

interface Stand {
  readonly issuer: OktaIssuer;
  readonly gateway: OktaGateway;
}

const ledger = new TokenLedger();
let cold: Stand;
let rotating: Stand;
/** When each gateway last loaded its key set successfully (a bound after the fetch began). */
let coldLoadedAt = 0;
let rotatingLoadedAt = 0;

async function startStand(issuerUp: boolean): Promise<Stand> {
  const issuer = await startOktaIssuer();
  issuer.setAvailable(issuerUp);
  return { issuer, gateway: await startOktaGateway(issuer) };
}

/** Sends `token` (recorded in the ledger) with a `me` query. */
const send = (stand: Stand, token: string): Promise<Reply> =>
  callGraphQL(stand.gateway.url, { authorization: bearer(ledger.record(token)), query: ME });
/** A valid token of `who`, signed by `key` (the issuer's k1 unless given). */
const validToken = (stand: Stand, who: DemoPersona = builder, key?: SigningKey): Promise<string> =>
  key ? signRs256(stand.issuer.claims(personaClaims(who)), key) : stand.issuer.accessToken(personaClaims(who));

async function untilCooldownAfter(loadedAt: number): Promise<void> {
  expect(loadedAt, 'the key set was loaded').toBeGreaterThan(0);
  const wait = loadedAt + COOLDOWN_MS + MARGIN_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

function expectUnavailable(reply: Reply): number {
  expect(reply.status, reply.text).toBe(503);
  const retryAfter = reply.headers.get('retry-after');
  expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
  expect(reply.body?.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(reply.body && 'data' in reply.body, 'a refusal carries no data').toBe(false);
  return Number(retryAfter);
}

beforeAll(async () => {
  [cold, rotating] = await Promise.all([startStand(false), startStand(true)]);
  // The rotating gateway's first load: k1 only.
  expectData(await send(rotating, await validToken(rotating)));
  rotatingLoadedAt = Date.now();
  expect(rotating.issuer.jwksHits()).toBe(1);
});
afterAll(async () => {
  for (const stand of [cold, rotating]) {
    await stand?.gateway.stop();
    await stand?.issuer.close();
  }
});

describe('okta mode: the issuer is down before any key set was loaded', () => {
  it('a valid token gets 503 with Retry-After, SERVICE_UNAVAILABLE, no data; the gateway did try the issuer', async () => {
    const reply = await send(cold, await validToken(cold));
    expectUnavailable(reply);
    expect(cold.issuer.totalHits()).toBeGreaterThan(0);
    expect(await refusalReason(cold.gateway, reply)).toBe('key_set_unavailable');
  });

  it('concurrent valid tokens: every one 503, never 200 (nor 401)', async () => {
    const tokens = await Promise.all(Array.from({ length: 10 }, () => validToken(cold)));
    const replies = await Promise.all(tokens.map((token) => send(cold, token)));
    expect(replies.map((reply) => reply.status)).toEqual(tokens.map(() => 503));
    for (const reply of replies) expectUnavailable(reply);
  });

  it('once the issuer is back, the gateway serves again no later than Retry-After says', async () => {
    cold.issuer.setAvailable(true);
    const first = await send(cold, await validToken(cold));
    if (first.status !== 200) {
      // Still inside the retry window of the last failed fetch: wait as told, then it must work.
      const retryAfterS = expectUnavailable(first);
      expect(retryAfterS).toBeLessThanOrEqual(60);
      await new Promise((resolve) => setTimeout(resolve, retryAfterS * 1000 + 250));
    }
    const reply = first.status === 200 ? first : await send(cold, await validToken(cold));
    expect(expectData(reply).me).toMatchObject({ kind: 'PERSON', person: { id: builder.personId } });
    coldLoadedAt = Date.now();
    expect(cold.issuer.jwksHits()).toBe(1);
  });
});

describe('okta mode: the issuer rotates its keys, then goes down', () => {
  let k2: SigningKey;

  it(
    'a key published after the first load (new kid, token signed with it) is accepted without a restart; the old key still works',
    async () => {
      const { issuer } = rotating;
      k2 = await rsaSigningKey('k2');
      issuer.publish([issuer.key, k2]);
      await untilCooldownAfter(rotatingLoadedAt);
      const withNewKey = await send(rotating, await validToken(rotating, builder, k2));
      expect(expectData(withNewKey).me).toMatchObject({ kind: 'PERSON', person: { id: builder.personId } });
      expect(issuer.jwksHits()).toBe(2);
      expectData(await send(rotating, await validToken(rotating)));
      expect(issuer.jwksHits()).toBe(2);
    },
    COOLDOWN_MS + 20_000,
  );

  it('with the issuer down, valid tokens of both keys keep working on the cached key set', async () => {
    const { issuer } = rotating;
    issuer.setAvailable(false);
    // The outage is real: a request to the issuer now fails at the connection.
    await expect(fetch(`${issuer.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    for (const [who, key] of [[builder, issuer.key], [persona('analyst'), k2], [persona('dashboard'), issuer.key]] as const) {
      const reply = await send(rotating, await validToken(rotating, who, key));
      expect(reply.status, reply.text).toBe(200);
      expectData(reply);
    }
  });
});

describe('okta mode: an unknown kid, one cooldown after the key set was loaded', () => {
  it(
    'triggers one JWKS refresh, then 401 invalid_token; more unknown kids within the cooldown fetch nothing',
    async () => {
      const { issuer, gateway } = cold;
      const rogue = await rsaSigningKey('k-rogue');
      await untilCooldownAfter(coldLoadedAt);
      const first = await send(cold, await validToken(cold, builder, rogue));
      expectRefusal(first, INVALID_TOKEN);
      expect(await refusalReason(gateway, first)).toBe('unknown_key');
      expect(issuer.jwksHits()).toBe(2);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expectRefusal(await send(cold, await validToken(cold, builder, await rsaSigningKey(`k-rogue-${attempt}`))), INVALID_TOKEN);
      }
      expect(issuer.jwksHits()).toBe(2);
      // And the real key still works.
      expectData(await send(cold, await validToken(cold)));
    },
    COOLDOWN_MS + 20_000,
  );
});

describe('okta mode: key-set logs', () => {
  it('no token sent in this file appears in either gateway output', () => {
    expect(ledger.size).toBeGreaterThanOrEqual(25);
    expect(leakedSecrets(`${cold.gateway.output()}\n${rotating.gateway.output()}`, ledger)).toEqual([]);
  });
});
