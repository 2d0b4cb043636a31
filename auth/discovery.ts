/**
 * Finds the issuer's JWKS URL by metadata discovery, and holds the rule that issuer and key
 * URLs are https except on a loopback host (DESIGN §2).
 *
 * Okta custom authorization servers have a path in their issuer
 * (https://x.okta.com/oauth2/default) and serve metadata with the well-known suffix appended
 * to that path, so that is what we fetch: first RFC 8414's `oauth-authorization-server`, then
 * OIDC's `openid-configuration`. The document's `issuer` must equal the configured issuer
 * exactly (RFC 8414 §3.3), otherwise an attacker who can serve the document could point us at
 * their own keys. A mismatch stops discovery; it does not fall through to the next document.
 */
import { z } from 'zod';
import { isLoopbackHost } from '../config.ts';
import { IssuerFetchError } from './errors.ts';
import { fetchJson, type FetchLimits } from './fetch-json.ts';

const WELL_KNOWN = ['oauth-authorization-server', 'openid-configuration'] as const;

const metadataSchema = z.object({ issuer: z.string(), jwks_uri: z.string() });

/** Parses `value` and refuses anything but https, or http on a loopback host (TypeError: config). */
export function requireSecureUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} must be an absolute URL`);
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new TypeError(`${what} must use https (plain http only on a loopback host)`);
  }
  if (url.username || url.password) throw new TypeError(`${what} must not carry credentials`);
  return url;
}

/** The `jwks_uri` announced by `issuer`'s metadata. Throws IssuerFetchError. */
export async function discoverJwksUri(issuer: string, limits: FetchLimits): Promise<URL> {
  const base = issuer.replace(/\/+$/, '');
  let lastFailure: IssuerFetchError | undefined;
  for (const suffix of WELL_KNOWN) {
    const where = `${base}/.well-known/${suffix}`;
    try {
      return jwksUriOf(await fetchJson(new URL(where), limits), issuer, where);
    } catch (error) {
      if (!(error instanceof IssuerFetchError) || error.reason === 'issuer_mismatch') throw error;
      lastFailure = error;
    }
  }
  throw lastFailure ?? new IssuerFetchError('invalid_document', base);
}

function jwksUriOf(document: unknown, issuer: string, where: string): URL {
  const parsed = metadataSchema.safeParse(document);
  if (!parsed.success) throw new IssuerFetchError('invalid_document', where);
  if (parsed.data.issuer !== issuer) throw new IssuerFetchError('issuer_mismatch', where);
  try {
    return requireSecureUrl(parsed.data.jwks_uri, 'jwks_uri');
  } catch (cause) {
    throw new IssuerFetchError('invalid_document', where, { cause });
  }
}
