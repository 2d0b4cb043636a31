/**
 * Tokens for the demo personas (AUTH_MODE=dev only): the persona picker and `npm run token`
 * mint Okta-shaped tokens for them with the development issuer's key.
 */
import { demoPersonas } from '../db/seed/demo.ts';
import type { DevIssuer, MintOptions } from './dev-issuer.ts';

export const DEV_ISSUER_PATH = '/dev-issuer';

export function devIssuerUrl(port: number): string {
  return `http://127.0.0.1:${port}${DEV_ISSUER_PATH}`;
}

/** Mint options for a persona key, or for any email (a token without `uid`, matched by email). */
export function personaMintOptions(who: string, issuer: string, audience: string): MintOptions | undefined {
  const persona = demoPersonas.find((candidate) => candidate.key === who || (candidate.kind === 'person' && candidate.email === who));
  if (persona?.kind === 'service') {
    return { issuer, audience, subject: persona.clientId, cid: persona.clientId, scopes: persona.scopes };
  }
  if (persona) {
    return { issuer, audience, subject: persona.email, uid: persona.oktaId, groups: persona.groups, scopes: persona.scopes };
  }
  if (who.includes('@')) return { issuer, audience, subject: who };
  return undefined;
}

export function mintForPersona(issuer: DevIssuer, who: string, issuerUrl: string, audience: string): Promise<string> | undefined {
  const options = personaMintOptions(who, issuerUrl, audience);
  return options ? issuer.mintAccessToken(options) : undefined;
}
