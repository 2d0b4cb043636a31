/**
 * The real gateway in `AUTH_MODE=okta` against a loopback issuer (okta-issuer.ts), and what a
 * test needs to judge its answers over HTTP: the raw reply with its request id, the RFC 6750
 * challenge parsed, the gateway's log lines for one request, and a search of everything the
 * process wrote for secrets it must never repeat.
 */
import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.ts';
import type { OktaIssuer } from './okta-issuer.ts';

export interface OktaGateway {
  readonly url: string;
  readonly process: GatewayProcess;
  /** stdout log lines (parsed) and stderr text, as one string, for secret searches. */
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts the gateway on the demo org in embedded PGlite (unless `env` says otherwise), at debug level. */
export async function startOktaGateway(issuer: OktaIssuer, env: Record<string, string> = {}): Promise<OktaGateway> {
  const gateway = await startGatewayProcess({
    AUTH_MODE: 'okta',
    AUTH_ISSUER: issuer.issuer,
    PGLITE_DIR: 'memory://',
    DEMO_DATA: 'true',
    // The most talkative level: whatever the gateway logs at all must be free of tokens.
    LOG_LEVEL: 'debug',
    ...env,
  });
  let stderr = '';
  gateway.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    url: gateway.url,
    process: gateway,
    output: () => `${JSON.stringify(gateway.logs)}\n${stderr}`,
    stop: () => gateway.stop(),
  };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  readonly body: GraphQLBody | undefined;
  readonly requestId: string | undefined;
}

export interface CallOptions {
  /** The Authorization header exactly as sent; absent sends none. */
  readonly authorization?: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** Appended to /graphql, e.g. `?access_token=…`. */
  readonly search?: string;
}

export const bearer = (token: string): string => `Bearer ${token}`;

/** POSTs a GraphQL request to /graphql. */
export async function callGraphQL(gatewayUrl: string, options: CallOptions): Promise<Reply> {
  const response = await fetch(`${gatewayUrl}/graphql${options.search ?? ''}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
    },
    body: JSON.stringify({ query: options.query, variables: options.variables }),
  });
  const text = await response.text();
  let body: GraphQLBody | undefined;
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body, requestId: response.headers.get('x-request-id') ?? undefined };
}

/**
 * A request through node:http, for what fetch would not send (a header repeated: pass an
 * array; oversized headers); resolves with the status.
 */
export function rawPost(gatewayUrl: string, headers: Record<string, string | string[]>): Promise<number> {
  const body = JSON.stringify({ query: '{ me { kind } }' });
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${gatewayUrl}/graphql`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The auth-parameters of a `WWW-Authenticate: Bearer …` challenge, or undefined for another scheme. */
export function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (header === null) return undefined;
  const match = /^Bearer(?:\s+(.*))?$/s.exec(header);
  if (!match) return undefined;
  const parameters: Record<string, string> = {};
  const rest = match[1] ?? '';
  const pattern = /\s*([A-Za-z_]+)="([^"]*)"\s*(?:,|$)/gy;
  let consumed = 0;
  for (let parameter = pattern.exec(rest); parameter; parameter = pattern.exec(rest)) {
    parameters[parameter[1] as string] = parameter[2] as string;
    consumed = pattern.lastIndex;
  }
  // Anything left over means the challenge is not a clean list of quoted parameters.
  if (rest.slice(consumed).trim() !== '') return undefined;
  return parameters;
}

export interface Refusal {
  readonly status: number;
  /** The challenge's parameters besides `realm` (always "builder-insights"); `error_description` is not compared. */
  readonly challenge?: Record<string, string>;
  readonly code: string;
}

/**
 * Asserts a refusal at the HTTP layer: status, the Bearer challenge (or none expected when
 * `challenge` is undefined and status is not 401/403), the GraphQL error code, and no `data`.
 */
export function expectRefusal(reply: Reply, expected: Refusal): void {
  expect(reply.status, reply.text).toBe(expected.status);
  const parameters = bearerChallenge(reply.headers.get('www-authenticate'));
  if (expected.challenge !== undefined) {
    expect(parameters, `WWW-Authenticate: ${reply.headers.get('www-authenticate')}`).toBeDefined();
    const { error_description: _description, ...compared } = parameters ?? {};
    expect(compared).toEqual({ realm: 'builder-insights', ...expected.challenge });
  }
  expect(reply.body, reply.text).toBeDefined();
  expect(reply.body?.errors?.[0]?.extensions?.code).toBe(expected.code);
  expect(reply.body && 'data' in reply.body, 'a refusal carries no data').toBe(false);
}

/** Asserts a GraphQL answer with no errors and returns its data. */
export function expectData(reply: Reply): Record<string, unknown> {
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body?.errors, reply.text).toBeUndefined();
  expect(reply.body?.data, reply.text).toBeTruthy();
  return reply.body?.data as Record<string, unknown>;
}

/** Waits for the log line of `requestId` that satisfies `match` (log lines arrive after the response). */
export async function waitForLogLine(
  gateway: OktaGateway,
  requestId: string | undefined,
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 5_000,
): Promise<Record<string, unknown> | undefined> {
  if (requestId === undefined) return undefined;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = gateway.process.logs.find((entry) => entry.requestId === requestId && match(entry));
    if (line || Date.now() > deadline) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The operator's reason logged for a refused request (a string), or undefined if none was logged. */
export async function refusalReason(gateway: OktaGateway, reply: Reply): Promise<unknown> {
  const line = await waitForLogLine(gateway, reply.requestId, (entry) => entry.reason !== undefined);
  return line?.reason;
}

/**
 * Remembers every token sent, so that a test can later search the gateway's output for them:
 * each whole token and, when it has one of a useful length, its signature segment.
 */
export class TokenLedger {
  private readonly tokens = new Set<string>();

  /** Records `token` (when it is long enough to search for without false hits) and returns it. */
  record(token: string): string {
    if (token.length >= 16) this.tokens.add(token);
    return token;
  }

  get size(): number {
    return this.tokens.size;
  }

  /** The secrets to search for: tokens, and signature segments of 16 characters or more. */
  secrets(): string[] {
    const secrets = new Set<string>();
    for (const token of this.tokens) {
      secrets.add(token);
      const signature = token.split('.')[2] ?? '';
      if (signature.length >= 16) secrets.add(signature);
    }
    return [...secrets];
  }
}

/** The secrets of `ledger` that occur in `output`, shortened for a readable failure. */
export function leakedSecrets(output: string, ledger: TokenLedger): string[] {
  return ledger.secrets().filter((secret) => output.includes(secret)).map((secret) => `${secret.slice(0, 24)}…`);
}
