/** Verifier configuration that can never be safe is refused at construction (TypeError). */
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifierOptions } from '../../../auth/index.ts';
import { requireSecureUrl } from '../../../auth/discovery.ts';

const valid: TokenVerifierOptions = {
  issuer: 'https://example.okta.com/oauth2/default',
  audience: 'api://builder-insights',
  clockToleranceS: 60,
  allowedClientIds: [],
  jwksMaxStaleS: 21600,
  keySet: { backgroundRefresh: false },
};

const make = (overrides: Partial<TokenVerifierOptions>) => () => createTokenVerifier({ ...valid, ...overrides }).close();

describe('createTokenVerifier configuration', () => {
  it('accepts the production shape without fetching anything', () => {
    const verifier = createTokenVerifier(valid);
    expect(verifier.keySet.state()).toMatchObject({ fetches: 0, usable: false, keyCount: 0 });
    verifier.close();
  });

  it.each([['none'], ['HS256'], ['HS512'], ['ES256'], ['EdDSA'], ['rs256']])('refuses algorithm %s', (alg) => {
    expect(make({ algorithms: ['RS256', alg] })).toThrow(TypeError);
  });

  it('refuses an empty algorithm list, and accepts other RSA algorithms deliberately configured', () => {
    expect(make({ algorithms: [] })).toThrow(TypeError);
    expect(make({ algorithms: ['RS256', 'PS256'] })).not.toThrow();
  });

  it.each([
    ['http issuer on a public host', { issuer: 'http://example.okta.com/oauth2/default' }],
    ['http jwksUri on a public host', { jwksUri: 'http://example.okta.com/oauth2/default/v1/keys' }],
    ['an empty audience', { audience: '' }],
    ['a negative clock tolerance', { clockToleranceS: -1 }],
    ['a clock tolerance over 5 minutes', { clockToleranceS: 301 }],
    ['a NaN staleness', { jwksMaxStaleS: Number.NaN }],
  ] as const)('refuses %s', (_label, overrides) => {
    expect(make(overrides)).toThrow(TypeError);
  });
});

describe('requireSecureUrl', () => {
  it.each([
    'https://example.okta.com/oauth2/default',
    'http://localhost:4000/dev-issuer',
    'http://127.0.0.1:4000/dev-issuer',
    'http://127.8.9.10/x',
    'http://[::1]:4000/dev-issuer',
  ])('accepts %s', (url) => {
    expect(requireSecureUrl(url, 'issuer').href).toBe(new URL(url).href);
  });

  it.each([
    'http://example.okta.com',
    'http://127.0.0.1.nip.io/x',
    'http://localhost.example.com/x',
    'http://10.0.0.1/x',
    'ftp://127.0.0.1/x',
    'https://user:pass@example.okta.com/x',
    'example.okta.com',
  ])('refuses %s', (url) => {
    expect(() => requireSecureUrl(url, 'issuer')).toThrow(TypeError);
  });
});
