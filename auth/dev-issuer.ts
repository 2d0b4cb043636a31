/**
 * The development issuer of AUTH_MODE=dev (DESIGN §2): an RSA key pair kept in a JWK file, the
 * metadata and JWKS documents the gateway serves for it, and Okta-shaped access tokens.
 *
 * The gateway verifies these tokens with the very same verifier, over HTTP, as Okta's: the
 * dev issuer only signs. The key lives in a file (mode 0600) so that `npm run token` in
 * another process signs with the key the running gateway publishes.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { z } from 'zod';
import { MIN_RSA_MODULUS_BITS, modulusBits, type RsaPublicJwk } from './jwks-document.ts';

/** The `cid` of minted tokens unless told otherwise. */
export const DEV_CLIENT_ID = 'builder-insights-dev';
const ALG = 'RS256';

export interface MintOptions {
  readonly issuer: string;
  readonly audience: string;
  /** `sub`: a person's login (email), or a service's client id. */
  readonly subject: string;
  /** Okta user id; omit for a client-credentials (service) token. */
  readonly uid?: string;
  readonly cid?: string;
  readonly groups?: readonly string[];
  /** Default: insights.read and insights.write. */
  readonly scopes?: readonly string[];
  /** Default 3600, as Okta's default access-token lifetime. */
  readonly ttlSeconds?: number;
}

export interface DevIssuer {
  readonly kid: string;
  /** OAuth/OIDC metadata for `issuerUrl`; its JWKS is expected at `${issuerUrl}/jwks`. */
  discoveryDocument(issuerUrl: string): { issuer: string; jwks_uri: string } & Record<string, unknown>;
  /** The public key only. */
  jwks(): { keys: RsaPublicJwk[] };
  mintAccessToken(options: MintOptions): Promise<string>;
}

const privateJwkSchema = z.object({
  kty: z.literal('RSA'),
  kid: z.string().min(1),
  n: z.string(),
  e: z.string(),
  d: z.string(),
  p: z.string(),
  q: z.string(),
  dp: z.string(),
  dq: z.string(),
  qi: z.string(),
});
type PrivateJwk = z.infer<typeof privateJwkSchema>;

export async function loadDevIssuer(options: { keyFile: string; now?: () => number }): Promise<DevIssuer> {
  const now = options.now ?? Date.now;
  const jwk = await readOrCreateKey(options.keyFile);
  const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
  const publicJwk: RsaPublicJwk = { kty: 'RSA', n: jwk.n, e: jwk.e, kid: jwk.kid, alg: ALG, use: 'sig' };

  return {
    kid: jwk.kid,
    discoveryDocument: (issuerUrl) => ({
      issuer: issuerUrl,
      jwks_uri: `${issuerUrl.replace(/\/+$/, '')}/jwks`,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [ALG],
    }),
    jwks: () => ({ keys: [{ ...publicJwk }] }),
    mintAccessToken: async (mint) => {
      const issuedAt = Math.floor(now() / 1000);
      // Okta's shape: no `typ` header, `scp` as an array, `cid`, `uid` only for people.
      return new SignJWT({
        scp: [...(mint.scopes ?? ['insights.read', 'insights.write'])],
        cid: mint.cid ?? DEV_CLIENT_ID,
        ...(mint.uid === undefined ? {} : { uid: mint.uid }),
        ...(mint.groups === undefined ? {} : { groups: [...mint.groups] }),
      })
        .setProtectedHeader({ alg: ALG, kid: jwk.kid })
        .setIssuer(mint.issuer)
        .setAudience(mint.audience)
        .setSubject(mint.subject)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + (mint.ttlSeconds ?? 3600))
        .sign(privateKey);
    },
  };
}

async function readOrCreateKey(path: string): Promise<PrivateJwk> {
  const existing = await readKeyFile(path);
  if (existing) return existing;
  const created = await newPrivateJwk();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Write aside, then link into place: link fails if another process got there first, and
  // nobody ever reads a half-written file.
  const staging = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(staging, `${JSON.stringify(created)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(staging, path);
    return created;
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const winner = await readKeyFile(path);
    if (!winner) throw error;
    return winner;
  } finally {
    await unlink(staging);
  }
}

async function readKeyFile(path: string): Promise<PrivateJwk | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: ReturnType<typeof privateJwkSchema.safeParse>;
  try {
    parsed = privateJwkSchema.safeParse(JSON.parse(text));
  } catch {
    throw new Error(`Dev issuer key file ${path} is not JSON; delete it to create a new key`);
  }
  if (!parsed.success || modulusBits(parsed.data.n) < MIN_RSA_MODULUS_BITS) {
    throw new Error(`Dev issuer key file ${path} is not an RSA private JWK of ${MIN_RSA_MODULUS_BITS} bits or more`);
  }
  return parsed.data;
}

async function newPrivateJwk(): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
  const exported = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: exported.n ?? '', e: exported.e ?? '' });
  return privateJwkSchema.parse({ ...exported, kid });
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
