/**
 * The viewer as policy sees it: who is asking, with their roles and the org facts the rules use.
 * Built from a verified token and the org source (auth/principal.ts); policies never read tokens.
 */
import type { PersonRole } from './roles.ts';
import type { ServiceRole } from './services.ts';

export interface PersonViewer {
  readonly kind: 'person';
  readonly personId: string;
  readonly orgUnitId: string;
  /** Empty for a person missing from the org source or inactive there. */
  readonly roles: readonly PersonRole[];
  /** An active break-glass session (DESIGN §4 rule 5). */
  readonly breakGlass: boolean;
}

export interface ServiceViewer {
  readonly kind: 'service';
  readonly clientId: string;
  readonly roles: readonly ServiceRole[];
}

/** A token that maps to nobody: an unknown person or an unlisted client. */
export interface NobodyViewer {
  readonly kind: 'nobody';
}

export type Viewer = PersonViewer | ServiceViewer | NobodyViewer;

export function hasRole(viewer: Viewer, role: PersonRole | ServiceRole): boolean {
  return viewer.kind !== 'nobody' && (viewer.roles as readonly string[]).includes(role);
}
