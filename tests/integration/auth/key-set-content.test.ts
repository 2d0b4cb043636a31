/**
 * SECURITY-CATALOG B6–B8: what the JWKS fetch refuses (redirects, slow and huge responses) and
 * which published keys are never used (weak RSA, encryption keys, ambiguous kid-less matches).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInvalid, expectUnavailable } from './support/expect-rejection.ts';
import { startServer, type TestServer } from './support/http-server.ts';
import { craft, rsaKey, signers } from './support/keys.ts';
import { createWorld, type World } from './support/world.ts';

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

describe('B7: redirects', () => {
  it('does not follow a redirect from the JWKS endpoint: 0 hits on the target, 503', async () => {
    canary.route('/keys', { body: { keys: [rsaKey('evil').jwk] } });
    world.replyJwks({ status: 302, headers: { location: `${canary.origin}/keys` } });
    const verifier = world.verifier();
    await expectUnavailable(verifier.verify(world.token()));
    expect(canary.totalHits()).toBe(0);
    expect(verifier.keySet.state().lastFailure).toBe('http_status');
  });
});

describe('B6: slow JWKS', () => {
  it('aborts at the fetch timeout and answers 503', async () => {
    world.replyJwks({ hang: true });
    const verifier = world.verifier({ keySet: { timeoutMs: 200 } });
    const started = performance.now();
    await expectUnavailable(verifier.verify(world.token()));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(verifier.keySet.state().lastFailure).toBe('timeout');
  });
});

describe('B8: body size cap', () => {
  const huge = () => ({ keys: [world.k1.jwk], padding: 'x'.repeat(600 * 1024) });

  it('refuses a body over the cap announced by Content-Length', async () => {
    world.replyJwks({ body: huge() });
    const verifier = world.verifier();
    await expectUnavailable(verifier.verify(world.token()));
    expect(verifier.keySet.state().lastFailure).toBe('too_large');
  });

  it('refuses a chunked body that grows past the cap', async () => {
    world.replyJwks({ body: huge(), chunked: true });
    const verifier = world.verifier();
    await expectUnavailable(verifier.verify(world.token()));
    expect(verifier.keySet.state().lastFailure).toBe('too_large');
  });

  it('accepts the same document under the cap', async () => {
    world.replyJwks({ body: { keys: [world.k1.jwk], padding: 'x'.repeat(1024) }, chunked: true });
    await expect(world.verifier().verify(world.token())).resolves.toBeDefined();
  });
});

describe('B8: keys that are published but never used', () => {
  it('ignores a 1024-bit RSA key and a use=enc key, keeping the good one', async () => {
    const weak = rsaKey('weak', { bits: 1024 });
    const enc = rsaKey('enc', { use: 'enc' });
    world.publish([weak, enc, world.k1]);
    const verifier = world.verifier();
    await expect(verifier.verify(world.token())).resolves.toBeDefined();
    expect(verifier.keySet.state().keyCount).toBe(1);
    await expectInvalid(verifier.verify(world.token({}, weak)), 'unknown_key');
    await expectInvalid(verifier.verify(world.token({}, enc)), 'unknown_key');
  });

  it('a key set holding only unusable keys is no key set: 503', async () => {
    world.publish([rsaKey('weak', { bits: 1024 }), rsaKey('enc', { use: 'enc' })]);
    const verifier = world.verifier();
    await expectUnavailable(verifier.verify(world.token()));
    expect(verifier.keySet.state().lastFailure).toBe('no_usable_keys');
  });

  it('rejects a kid-less token when two keys could match it', async () => {
    const k2 = rsaKey('k2');
    world.publish([world.k1, k2]);
    const token = craft({ alg: 'RS256' }, world.claims(), signers.rs256(world.k1));
    await expectInvalid(world.verifier().verify(token), 'ambiguous_key');
  });

  it('accepts a kid-less token when exactly one key matches', async () => {
    const token = craft({ alg: 'RS256' }, world.claims(), signers.rs256(world.k1));
    await expect(world.verifier().verify(token)).resolves.toBeDefined();
  });
});
