/**
 * Builds the GraphQL context of a request: verify the token (before any database work), find
 * the principal in the org source, build the ability. Anything thrown here that is not one of
 * our public errors would become an HTTP 500 in Apollo; a failing database becomes a 503.
 *
 * It also notes the role-granting Okta groups a person's token carries (the org source does not
 * know them) for the access review: at most once an hour per person in this process, or at once
 * when they change; in the background, so it never delays or fails the request.
 */
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { resolvePrincipal, type Principal } from '../auth/principal.ts';
import type { Database } from '../db/client.ts';
import { recordGroupSighting } from '../db/repositories/governance.ts';
import { ServiceUnavailableError } from '../errors.ts';
import { createAbilityCache } from '../policies/ability-cache.ts';
import { buildAllowAllAbility } from '../policies/index.ts';
import { viewerOf } from '../policies/principal.ts';
import { GROUP_ROLES } from '../policies/roles.ts';
import { DEFAULT_ANSWER_LIMITS, type AnswerLimits, type GatewayContext } from '../schema/context.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Authenticate } from './authenticate.ts';

/** How often an unchanged set of groups is written again (refreshes `last seen`). */
export const GROUP_SIGHTING_INTERVAL_MS = 3_600_000;
/** People remembered per process; the oldest are forgotten first (and simply written again). */
const GROUP_SIGHTING_MEMORY = 20_000;

export interface GroupSightings {
  /** Notes the groups of a request's person; returns the write when one was started (tests). */
  note(principal: Principal): Promise<void> | undefined;
}

export function createGroupSightings(options: { db: Database; logger: Logger; now?: () => number }): GroupSightings {
  const now = options.now ?? Date.now;
  const seen = new Map<string, { groups: string; at: number }>();
  return {
    note(principal) {
      if (principal.kind !== 'person') return undefined;
      const personId = principal.person.id;
      const groups = [...new Set(principal.token.groups.filter((group) => Object.hasOwn(GROUP_ROLES, group)))].sort();
      const key = groups.join('\n');
      const last = seen.get(personId);
      const at = now();
      if (last && last.groups === key && at - last.at < GROUP_SIGHTING_INTERVAL_MS) return undefined;
      // Re-inserted, so the map's order is least recently written first.
      seen.delete(personId);
      seen.set(personId, { groups: key, at });
      if (seen.size > GROUP_SIGHTING_MEMORY) seen.delete(seen.keys().next().value as string);
      return recordGroupSighting(options.db, personId, groups).catch((error: unknown) => {
        // Forgotten, so the next request tries again.
        if (seen.get(personId)?.at === at) seen.delete(personId);
        options.logger.warn('db', 'group sighting could not be recorded', { personId, error });
      });
    },
  };
}

export function createContextFactory(options: { db: Database; authenticate: Authenticate; logger: Logger; allowAll?: boolean; limits?: AnswerLimits }) {
  const limits = options.limits ?? DEFAULT_ANSWER_LIMITS;
  const sightings = createGroupSightings(options);
  const allowAll = options.allowAll ? buildAllowAllAbility() : undefined;
  const abilityFor = createAbilityCache();
  return async (request: IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const token = await options.authenticate(request, requestId);
    let principal;
    try {
      principal = await resolvePrincipal(options.db, token);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      options.logger.error('db', 'principal lookup failed', { requestId, error });
      throw new ServiceUnavailableError();
    }
    void sightings.note(principal);
    const viewer = viewerOf(principal);
    return { requestId, db: options.db, token, principal, viewer, ability: allowAll ?? abilityFor(viewer), limits };
  };
}
