/**
 * A token's signature is checked once; everything that can change is checked on every request
 * (auth/verified-tokens.ts). Real keys, a real JWKS endpoint on loopback, a frozen clock:
 * - a repeated token skips WebCrypto's verify, a token differing in one byte does not;
 * - a key set fetched since (rotation, SECURITY-CATALOG B2) verifies every token again;
 * - past the key set's staleness limit a kept token is a 503 like any other;
 * - time claims: a token verified before and checked later answers exactly what a verifier
 *   that never saw it answers (property, against jose's own checks).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeySetUnavailableError } from '../../../auth/index.ts';
import type { TokenVerifier } from '../../../auth/index.ts';
import { expectInvalid } from './support/expect-rejection.ts';
import { rsaKey } from './support/keys.ts';
import { createWorld, TOLERANCE_S, type World } from './support/world.ts';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await world.dispose();
});

/** How many signatures WebCrypto checks while `work` runs (jose verifies through it). */
async function signatureChecks(work: () => Promise<unknown>): Promise<number> {
  const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
  try {
    await work();
    return verify.mock.calls.length;
  } finally {
    verify.mockRestore();
  }
}

/** A token `verifier` has verified and kept (its second verification checks no signature). */
async function keptToken(verifier: TokenVerifier, overrides: Record<string, unknown> = {}): Promise<string> {
  await verifier.keySet.refresh();
  const token = world.token(overrides);
  await verifier.verify(token);
  expect(await signatureChecks(() => verifier.verify(token)), 'kept').toBe(0);
  return token;
}

/** `ok` or the reason a verification was refused. */
async function outcome(verifier: TokenVerifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    return (error as { reason?: string }).reason ?? (error as Error).name;
  }
}

describe('verified tokens', () => {
  it('checks a repeated token’s signature once and answers the same claims', async () => {
    const verifier = world.verifier();
    // A token verified while the first key set is being fetched is not kept (no set was held
    // throughout); from then on the set is held.
    await verifier.keySet.refresh();
    const token = world.token();
    let first: unknown;
    expect(await signatureChecks(async () => (first = await verifier.verify(token)))).toBe(1);
    let again: unknown;
    expect(await signatureChecks(async () => (again = await verifier.verify(token)))).toBe(0);
    expect(again).toEqual(first);
  });

  it('checks a token differing in one byte of its payload: its signature fails', async () => {
    const verifier = world.verifier();
    const token = await keptToken(verifier);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, uid: '00u1eve' })).toString('base64url'), signature].join('.');
    await expectInvalid(verifier.verify(forged), 'bad_signature');
  });

  it('verifies every token again once another key set is fetched: a withdrawn key stops working', async () => {
    const verifier = world.verifier();
    const token = await keptToken(verifier);
    world.publish([rsaKey('k2')]);
    await verifier.keySet.refresh();
    await expectInvalid(verifier.verify(token), 'unknown_key');
  });

  it('answers 503 for a kept token once the key set is older than its staleness limit and the issuer is down', async () => {
    const verifier = world.verifier({ jwksMaxStaleS: 600 });
    const token = await keptToken(verifier);
    world.replyJwks({ status: 500, body: { error: 'down' } });
    world.clock.advance(601);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(KeySetUnavailableError);
  });

  it('answers later exactly what a verifier that never saw the token answers (time claims)', async () => {
    const kept = world.verifier();
    await kept.keySet.refresh();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          exp: fc.integer({ min: -120, max: 240 }),
          nbf: fc.option(fc.integer({ min: -120, max: 240 }), { nil: undefined }),
          iat: fc.integer({ min: -120, max: 240 }),
          later: fc.integer({ min: 0, max: 360 }),
        }),
        async ({ exp, nbf, iat, later }) => {
          const start = world.clock.nowS();
          const token = world.token({ exp: start + exp, nbf: nbf === undefined ? undefined : start + nbf, iat: start + iat, jti: `AT.${start}.${exp}.${nbf}.${iat}.${later}` });
          await outcome(kept, token);
          world.clock.advance(later);
          const fresh = world.verifier();
          expect(await outcome(kept, token)).toBe(await outcome(fresh, token));
          fresh.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('still accepts a kept token tolerance − 1 s after its exp, and refuses it a second later', async () => {
    const verifier = world.verifier();
    const token = await keptToken(verifier, { exp: world.clock.nowS() + 10 });
    world.clock.advance(10 + TOLERANCE_S - 1);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    world.clock.advance(1);
    await expectInvalid(verifier.verify(token), 'expired');
  });
});
