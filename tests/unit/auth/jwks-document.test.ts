/** Which published keys the gateway keeps (SECURITY-CATALOG B5, B8). */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { modulusBits, usableSigningKeys } from '../../../auth/jwks-document.ts';

function rsaJwk(bits = 2048): { kty: 'RSA'; n: string; e: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const { n, e } = publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', n: n ?? '', e: e ?? '' };
}

const good = { ...rsaJwk(), kid: 'k1', alg: 'RS256', use: 'sig' };
const keep = (document: unknown, algorithms = ['RS256']) => usableSigningKeys(document, algorithms, 'https://issuer/keys');

describe('modulusBits', () => {
  it.each([1024, 2048, 3072])('measures a %i-bit modulus', (bits) => {
    expect(modulusBits(rsaJwk(bits).n)).toBe(bits);
  });

  it('ignores leading zero bytes and reads an empty modulus as 0 bits', () => {
    expect(modulusBits(Buffer.from([0, 0, 0x01, 0xff]).toString('base64url'))).toBe(9);
    expect(modulusBits('')).toBe(0);
  });
});

describe('usableSigningKeys', () => {
  it('keeps a 2048-bit RSA signing key, rebuilt from its public members only', () => {
    const withExtras = { ...good, d: 'private', x5c: ['cert'], __proto__: { polluted: true } };
    const keys = keep({ keys: [withExtras] });
    expect(keys).toEqual([{ kty: 'RSA', n: good.n, e: good.e, kid: 'k1', alg: 'RS256', use: 'sig' }]);
    expect(Object.keys(keys[0] ?? {})).not.toContain('d');
  });

  it.each([
    ['use enc', { ...good, use: 'enc' }],
    ['a 1024-bit modulus', { ...rsaJwk(1024), kid: 'weak' }],
    ['an alg off the allow-list', { ...good, alg: 'RS512' }],
    ['an HMAC alg', { ...good, alg: 'HS256' }],
    ['key_ops without verify', { ...good, key_ops: ['encrypt'] }],
    ['an EC key', { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'ec' }],
    ['an oct key', { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }],
    ['a non-string kid', { ...good, kid: 7 }],
    ['a modulus that is not base64url', { ...good, n: `${good.n}==` }],
    ['public exponent 0', { ...good, e: 'AA' }],
    ['public exponent 1', { ...good, e: 'AQ' }],
    ['public exponent 3', { ...good, e: 'Aw' }],
    ['an even public exponent', { ...good, e: 'AQAC' }],
    ['a public exponent over 256 bits', { ...good, e: Buffer.alloc(33, 1).toString('base64url') }],
  ])('drops a key with %s, keeping the good one', (_label, bad) => {
    expect(keep({ keys: [bad, good] })).toHaveLength(1);
    expect(() => keep({ keys: [bad] })).toThrow(expect.objectContaining({ reason: 'no_usable_keys' }));
  });

  it('keeps key_ops that include verify', () => {
    expect(keep({ keys: [{ ...good, key_ops: ['verify'] }] })).toHaveLength(1);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['{}', {}],
    ['keys null', { keys: null }],
    ['keys an object', { keys: { 0: good } }],
    ['a null member', { keys: [null, good] }],
    ['an array member', { keys: [[good]] }],
    ['a string member', { keys: ['k1'] }],
  ])('refuses a document that is %s', (_label, document) => {
    expect(() => keep(document)).toThrow(expect.objectContaining({ reason: 'invalid_document', url: 'https://issuer/keys' }));
  });
});
