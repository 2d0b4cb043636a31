/**
 * SECURITY-CATALOG B1–B5: rotation, kid flood, cold-start herd, outage and recovery, against
 * a loopback issuer. Time moves only through the injected clock: no real waiting.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectInvalid, expectUnavailable } from './support/expect-rejection.ts';
import { startServer } from './support/http-server.ts';
import { craft, rsaKey, signers } from './support/keys.ts';
import { createWorld, type World } from './support/world.ts';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.dispose());

const discoveryHits = () => world.server.hits('/oauth2/default/.well-known/oauth-authorization-server');

describe('B4: cold-start herd', () => {
  it('100 concurrent verifications before any key is held cause exactly 1 discovery and 1 JWKS fetch', async () => {
    const verifier = world.verifier();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => verifier.verify(world.token())));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(100);
    expect({ discovery: discoveryHits(), jwks: world.jwksHits() }).toEqual({ discovery: 1, jwks: 1 });
  });

  it('with jwksUri configured, discovery is never fetched', async () => {
    await world.verifier({ jwksUri: world.jwksUri }).verify(world.token());
    expect({ discovery: discoveryHits(), jwks: world.jwksHits() }).toEqual({ discovery: 0, jwks: 1 });
  });
});

describe('B1/B2: key rotation', () => {
  it('K1 → {K1,K2} → {K2} with zero valid-token rejections; a withdrawn key stops at the next refresh', async () => {
    const k2 = rsaKey('k2');
    const verifier = world.verifier();
    let rejected = 0;
    const accept = (key = world.k1) => verifier.verify(world.token({}, key)).catch(() => void (rejected += 1));

    await accept();
    world.publish([world.k1, k2]);
    world.clock.advance(31); // past the unknown-kid cooldown
    await accept(k2); // unknown kid → one refetch → accepted
    await accept(world.k1);
    await accept(k2);
    expect(world.jwksHits()).toBe(2);

    world.publish([k2]); // K1 withdrawn
    world.clock.advance(301); // past the refresh interval: the next request revalidates in the background
    await accept(k2);
    await vi.waitFor(() => expect(verifier.keySet.state().refreshes).toBe(3));
    expect(rejected).toBe(0);
    await expectInvalid(verifier.verify(world.token({}, world.k1)), 'unknown_key');
    expect(verifier.keySet.state().keyCount).toBe(1);
  });

  it('a key published after the last fetch is refused until one cooldown has passed', async () => {
    const k2 = rsaKey('k2');
    const verifier = world.verifier();
    await verifier.verify(world.token());
    world.publish([world.k1, k2]);
    world.clock.advance(29);
    await expectInvalid(verifier.verify(world.token({}, k2)), 'unknown_key');
    expect(world.jwksHits()).toBe(1);
    world.clock.advance(2);
    await expect(verifier.verify(world.token({}, k2))).resolves.toBeDefined();
    expect(world.jwksHits()).toBe(2);
  });
});

describe('B3: kid flood', () => {
  it('random kids over 60 s cost one JWKS fetch per 30 s cooldown, and valid tokens keep passing', async () => {
    const attacker = rsaKey('attacker');
    const verifier = world.verifier();
    await verifier.verify(world.token());
    for (let second = 1; second <= 60; second += 1) {
      world.clock.advance(1);
      const forged = Array.from({ length: 20 }, () =>
        verifier.verify(craft({ alg: 'RS256', kid: randomUUID() }, world.claims(), signers.rs256(attacker))),
      );
      await Promise.all(forged.map((attempt) => expectInvalid(attempt, 'unknown_key')));
      await expect(verifier.verify(world.token())).resolves.toBeDefined();
    }
    // The initial load, then one refetch at 30 s and one at 60 s.
    expect(world.jwksHits()).toBe(3);
  });
});

describe('B5: JWKS outage', () => {
  it('keeps verifying with the last good keys up to jwksMaxStaleS, then answers 503, then recovers', async () => {
    const verifier = world.verifier({ jwksMaxStaleS: 3600 });
    await verifier.verify(world.token());
    world.replyJwks({ status: 500, body: 'upstream down' });

    world.clock.advance(3600);
    await expect(verifier.verify(world.token())).resolves.toBeDefined();
    await vi.waitFor(() => expect(verifier.keySet.state().failures).toBe(1));
    expect(verifier.keySet.state()).toMatchObject({ usable: true, lastFailure: 'http_status', keyCount: 1 });

    world.clock.advance(1);
    const unavailable = await expectUnavailable(verifier.verify(world.token()));
    expect(unavailable.retryAfterSeconds).toBeLessThanOrEqual(5);
    expect(verifier.keySet.state().usable).toBe(false);

    world.publish([world.k1]);
    world.clock.advance(5);
    await expect(verifier.verify(world.token())).resolves.toBeDefined();
    expect(verifier.keySet.state()).toMatchObject({ usable: true, lastFailure: undefined });
  });

  it('with no key set ever loaded, refuses with 503 (never accepts) and retries at most every 5 s', async () => {
    world.replyJwks({ status: 503, body: 'maintenance' });
    const verifier = world.verifier();
    const first = await expectUnavailable(verifier.verify(world.token()));
    expect(first.retryAfterSeconds).toBe(5);
    world.clock.advance(2);
    const second = await expectUnavailable(verifier.verify(world.token()));
    expect(second.retryAfterSeconds).toBe(3);
    expect(world.jwksHits()).toBe(1);
    world.clock.advance(3);
    await expectUnavailable(verifier.verify(world.token()));
    expect(world.jwksHits()).toBe(2);
  });

  it('refuses with 503 when the JWKS host refuses connections', async () => {
    const closed = await startServer();
    const jwksUri = `${closed.origin}/keys`;
    await closed.close();
    const verifier = world.verifier({ jwksUri });
    const unavailable = await expectUnavailable(verifier.verify(world.token()));
    expect(verifier.keySet.state()).toMatchObject({ lastFailure: 'network', failures: 1, usable: false });
    expect(unavailable.cause).toMatchObject({ reason: 'network', url: jwksUri });
  });

  const badBodies: [string, Parameters<World['replyJwks']>[0], string][] = [
    ['500', { status: 500, body: 'oops' }, 'http_status'],
    ['404', { status: 404, body: 'not found' }, 'http_status'],
    ['HTML', { body: '<html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } }, 'not_json'],
    ['{}', { body: {} }, 'invalid_document'],
    ['{"keys":null}', { body: { keys: null } }, 'invalid_document'],
    ['{"keys":[null]}', { body: { keys: [null] } }, 'invalid_document'],
    ['{"keys":[]}', { body: { keys: [] } }, 'no_usable_keys'],
  ];

  it.each(badBodies)('a %s response never replaces the last good key set', async (_label, reply, reason) => {
    const verifier = world.verifier();
    await verifier.verify(world.token());
    world.replyJwks(reply);
    await expect(verifier.keySet.refresh()).rejects.toMatchObject({ reason });
    expect(verifier.keySet.state()).toMatchObject({ keyCount: 1, usable: true, failures: 1, lastFailure: reason });
    await expect(verifier.verify(world.token())).resolves.toBeDefined();
  });

  it.each(badBodies)('a %s response at cold start gives 503', async (_label, reply, reason) => {
    world.replyJwks(reply);
    const verifier = world.verifier();
    await expectUnavailable(verifier.verify(world.token()));
    expect(verifier.keySet.state()).toMatchObject({ usable: false, lastFailure: reason });
  });
});

describe('background refresh', () => {
  it('refreshes on an unref’ed timer and stops when closed', async () => {
    const verifier = world.verifier({ keySet: { backgroundRefresh: true, refreshIntervalMs: 20 } });
    await vi.waitFor(() => expect(world.jwksHits()).toBeGreaterThanOrEqual(2));
    verifier.close();
    const settled = world.jwksHits();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.jwksHits()).toBeLessThanOrEqual(settled + 1);
  });
});
