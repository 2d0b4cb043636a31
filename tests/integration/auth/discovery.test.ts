/** Finding jwks_uri from the issuer's metadata (RFC 8414, then OIDC discovery). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverJwksUri } from '../../../auth/discovery.ts';
import { fetchLimits } from '../../../auth/fetch-json.ts';
import { expectUnavailable } from './support/expect-rejection.ts';
import { createWorld, type World } from './support/world.ts';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.dispose());

const RFC8414 = '/oauth2/default/.well-known/oauth-authorization-server';
const OIDC = '/oauth2/default/.well-known/openid-configuration';

describe('discoverJwksUri', () => {
  it('appends the well-known suffix to the issuer path (Okta custom authorization server)', async () => {
    const url = await discoverJwksUri(world.issuer, fetchLimits());
    expect(url.href).toBe(world.jwksUri);
    expect({ rfc8414: world.server.hits(RFC8414), oidc: world.server.hits(OIDC) }).toEqual({ rfc8414: 1, oidc: 0 });
  });

  it('falls back to openid-configuration when the RFC 8414 document is missing', async () => {
    world.server.route(RFC8414, { status: 404, body: 'nope' });
    const url = await discoverJwksUri(world.issuer, fetchLimits());
    expect(url.href).toBe(world.jwksUri);
    expect(world.server.hits(OIDC)).toBe(1);
  });

  it('refuses a document naming another issuer, without trying the next document', async () => {
    world.server.route(RFC8414, { body: { issuer: `${world.issuer}/`, jwks_uri: world.jwksUri } });
    await expect(discoverJwksUri(world.issuer, fetchLimits())).rejects.toMatchObject({ reason: 'issuer_mismatch' });
    expect(world.server.hits(OIDC)).toBe(0);
  });

  it.each([
    ['plain http on a public host', 'http://keys.example.com/jwks'],
    ['not a URL', 'keys'],
  ])('refuses a jwks_uri that is %s', async (_label, jwksUri) => {
    world.server.route(RFC8414, { body: { issuer: world.issuer, jwks_uri: jwksUri } });
    world.server.route(OIDC, { body: { issuer: world.issuer, jwks_uri: jwksUri } });
    await expect(discoverJwksUri(world.issuer, fetchLimits())).rejects.toMatchObject({ reason: 'invalid_document' });
  });

  it('fails with the last reason when neither document exists', async () => {
    world.server.route(RFC8414, { status: 404 });
    world.server.route(OIDC, { status: 404 });
    await expect(discoverJwksUri(world.issuer, fetchLimits())).rejects.toMatchObject({ reason: 'http_status', status: 404 });
  });
});

describe('discovery inside the verifier', () => {
  it('a mismatching issuer document leaves the verifier without keys: 503, never acceptance', async () => {
    world.server.route(RFC8414, { body: { issuer: 'https://evil.example.com', jwks_uri: world.jwksUri } });
    const verifier = world.verifier();
    await expectUnavailable(verifier.verify(world.token()));
    expect(verifier.keySet.state().lastFailure).toBe('issuer_mismatch');
    expect(world.jwksHits()).toBe(0);
  });

  it('discovers once: later key refreshes go straight to the JWKS URL', async () => {
    const verifier = world.verifier();
    await verifier.verify(world.token());
    await verifier.keySet.refresh();
    await verifier.keySet.refresh();
    expect({ discovery: world.server.hits(RFC8414), jwks: world.jwksHits() }).toEqual({ discovery: 1, jwks: 3 });
  });
});
