/** From a principal (auth/) to the viewer the rules are written for. */
import type { Principal } from '../auth/principal.ts';
import { personRoles } from './roles.ts';
import { serviceRoles } from './services.ts';
import type { Viewer } from './viewer.ts';

export function viewerOf(principal: Principal): Viewer {
  switch (principal.kind) {
    case 'person': {
      const roles = personRoles(principal.person, principal.token.groups, principal.person.exceptions);
      return {
        kind: 'person',
        personId: principal.person.id,
        orgUnitId: principal.person.orgUnitId,
        roles,
        // A session in force counts only while its holder is an admin: one whose admin role was
        // withdrawn (or who left: no roles at all) loses rule 5 at once, session or not.
        breakGlass: principal.person.breakGlassSessionId !== null && roles.includes('admin'),
      };
    }
    case 'client': {
      const roles = serviceRoles(principal.clientId);
      return roles.length > 0 ? { kind: 'service', clientId: principal.clientId, roles } : { kind: 'nobody' };
    }
    case 'unknown':
      return { kind: 'nobody' };
  }
}
