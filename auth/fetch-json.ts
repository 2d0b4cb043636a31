/**
 * One bounded GET of a JSON document from the issuer (discovery or JWKS). jose's remote key
 * set has no size cap, so the limits live here: a timeout, no redirects (a 3xx is a failure,
 * so a compromised or misconfigured endpoint cannot send us to another host), a byte cap, and
 * JSON parsing. Every failure is an IssuerFetchError with a closed reason.
 */
import { IssuerFetchError } from './errors.ts';

export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

export interface FetchLimits {
  readonly fetch: FetchLike;
  /** Abort the request (headers and body) after this long. */
  readonly timeoutMs: number;
  /** Refuse bodies larger than this. */
  readonly maxBytes: number;
}

/** The limits with defaults: global fetch, 5 s (jose's remote key set default), 512 KiB. */
export function fetchLimits(given: Partial<FetchLimits> = {}): FetchLimits {
  return {
    fetch: given.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: given.timeoutMs ?? 5_000,
    maxBytes: given.maxBytes ?? 512 * 1024,
  };
}

export async function fetchJson(url: URL, limits: FetchLimits): Promise<unknown> {
  const where = url.href;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await limits.fetch(url, {
      method: 'GET',
      redirect: 'manual',
      signal,
      headers: { accept: 'application/json, application/jwk-set+json' },
    });
  } catch (cause) {
    throw new IssuerFetchError(signal.aborted ? 'timeout' : 'network', where, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new IssuerFetchError('http_status', where, { status: response.status });
  }
  const bytes = await readCapped(response, limits.maxBytes, where, signal);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch (cause) {
    throw new IssuerFetchError('not_json', where, { cause });
  }
}

async function readCapped(response: Response, maxBytes: number, where: string, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new IssuerFetchError('too_large', where);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // Declared lengths can lie (or be absent with chunked encoding): count what arrives.
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new IssuerFetchError('too_large', where);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof IssuerFetchError) throw cause;
    throw new IssuerFetchError(signal.aborted ? 'timeout' : 'network', where, { cause });
  }
  return Buffer.concat(chunks);
}
