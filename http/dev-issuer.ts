/**
 * The development issuer's HTTP face (AUTH_MODE=dev): discovery and JWKS documents that the
 * gateway's own verifier fetches, like Okta's, and a persona token endpoint for GraphiQL.
 * Never mounted in okta mode.
 */
import type { DevIssuer } from '../auth/dev-issuer.ts';
import { DEV_ISSUER_PATH, mintForPersona } from '../auth/dev-personas.ts';
import { demoPersonas } from '../db/seed/demo.ts';
import { readBody } from './request.ts';
import { sendJson } from './respond.ts';
import type { Route } from './server.ts';

export function devIssuerRoutes(issuer: DevIssuer, issuerUrl: () => string, audience: string): [string, Route][] {
  return [
    [
      `${DEV_ISSUER_PATH}/.well-known/openid-configuration`,
      { methods: ['GET'], handler: async (_request, response) => sendJson(response, 200, issuer.discoveryDocument(issuerUrl())) },
    ],
    [`${DEV_ISSUER_PATH}/jwks`, { methods: ['GET'], handler: async (_request, response) => sendJson(response, 200, issuer.jwks()) }],
    [
      `${DEV_ISSUER_PATH}/personas`,
      {
        methods: ['GET'],
        handler: async (_request, response) =>
          sendJson(response, 200, demoPersonas.map(({ key, kind, description }) => ({ key, kind, description }))),
      },
    ],
    [
      `${DEV_ISSUER_PATH}/token`,
      {
        methods: ['POST'],
        handler: async (request, response) => {
          let who: unknown;
          try {
            who = (JSON.parse(await readBody(request, 4096)) as { persona?: unknown }).persona;
          } catch {
            return sendJson(response, 400, { error: 'invalid_request' });
          }
          const token = typeof who === 'string' ? await mintForPersona(issuer, who, issuerUrl(), audience) : undefined;
          if (!token) return sendJson(response, 400, { error: 'unknown persona' });
          sendJson(response, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
        },
      },
    ],
  ];
}
