/**
 * Who a verified token speaks for (DESIGN §2): a person of the org source (by `uid`, or by
 * `sub` as email only when the token has no `uid` at all), a client-credentials client, or
 * nobody. A `uid` that matches no one never falls back to the email: an editable login must not
 * take over another person.
 */
import type { Executor } from '../db/client.ts';
import { findPersonFacts, type PersonFacts } from '../org/directory.ts';
import type { VerifiedToken } from './claims.ts';

export type Principal =
  | { readonly kind: 'person'; readonly token: VerifiedToken; readonly person: PersonFacts }
  | { readonly kind: 'client'; readonly token: VerifiedToken; readonly clientId: string }
  | { readonly kind: 'unknown'; readonly token: VerifiedToken };

export async function resolvePrincipal(db: Executor, token: VerifiedToken): Promise<Principal> {
  if (token.oktaUserId !== undefined) {
    const person = await findPersonFacts(db, { oktaId: token.oktaUserId });
    return person ? { kind: 'person', token, person } : { kind: 'unknown', token };
  }
  // Okta client-credentials tokens carry the client id as `sub` and `cid`, and no `uid`.
  if (token.clientId !== undefined && token.subject === token.clientId) {
    return { kind: 'client', token, clientId: token.clientId };
  }
  const person = await findPersonFacts(db, { email: token.subject });
  return person ? { kind: 'person', token, person } : { kind: 'unknown', token };
}
