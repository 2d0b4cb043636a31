/**
 * Test keys and a token crafter built on node:crypto, so that tests can produce exactly the
 * bytes an attacker would: any header, any payload text, any algorithm, any signature.
 */
import { createHmac, generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Public JWK as an issuer publishes it. */
  readonly jwk: JWK;
}

export function rsaKey(kid: string, options: { bits?: number; use?: string } = {}): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const exported = publicKey.export({ format: 'jwk' });
  const jwk: JWK = { kty: 'RSA', n: exported.n, e: exported.e, kid, alg: 'RS256', use: options.use ?? 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

export function ecKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const exported = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, publicKey, jwk: { ...exported, kid, alg: 'ES256', use: 'sig' } as JWK };
}

export type Signer = (signingInput: string) => Buffer;

export const signers = {
  rs256: (key: TestKey): Signer => (input) => sign('sha256', Buffer.from(input), key.privateKey),
  rs384: (key: TestKey): Signer => (input) => sign('sha384', Buffer.from(input), key.privateKey),
  ps256: (key: TestKey): Signer => (input) =>
    sign('sha256', Buffer.from(input), { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
  es256: (key: TestKey): Signer => (input) =>
    sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }),
  hs256: (secret: Buffer | string): Signer => (input) => createHmac('sha256', secret).update(input).digest(),
  none: (): Signer => () => Buffer.alloc(0),
};

const segment = (part: object | string): string =>
  Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url');

/** Header and payload as objects (serialised with JSON.stringify) or raw JSON text. */
export function craft(header: object | string, payload: object | string, signer: Signer): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${signer(input).toString('base64url')}`;
}
