/**
 * What resolvers ask policy: the Scope of rows an action may touch (compiled to SQL), and
 * whether one loaded object allows an action (evaluated in memory). Both read the same rules.
 */
import { subject as tag } from '@casl/ability';
import { NONE, type CountAccess, type Scope } from '../db/scope.ts';
import { DASHBOARD_MIN_BUCKET_SIZE } from './services.ts';
import { viewerKey } from './ability-cache.ts';
import { compiledOnce } from './compiled.ts';
import { compileScope } from './sql/compile.ts';
import { reportCellScope } from './sql/report-cells.ts';
import { auditEventFields, orgUnitFields, personFields, reportFields, reportProbeFields } from './sql/subjects.ts';
import type { Action, AppAbility, PersonSubject, ReportSubject, SubjectShapes, TaggedSubject } from './subjects.ts';
import type { Viewer } from './viewer.ts';

/**
 * How a statement meets its rows: `scan` tests every report it could match (a count), `probe`
 * a few (a page under LIMIT, one report by id). Same rows either way; only the plan differs
 * (policies/sql/subjects.ts).
 */
export type ScopeShape = 'scan' | 'probe';

export function reportScope(ability: AppAbility, action: Extract<Action, 'read' | 'aggregate'>, shape: ScopeShape = 'scan'): Scope {
  return compiledOnce(ability, `Report:${action}:${shape}`, () =>
    compileScope(ability, action, 'Report', shape === 'probe' ? reportProbeFields : reportFields),
  );
}

/**
 * What a viewer may count, over report rows and over the report counters; the aggregate
 * repository prefers the counters (thousands of rows instead of a million reports).
 */
export function reportCountAccess(ability: AppAbility, viewer: Viewer): CountAccess {
  // Keyed by the viewer too: the classes read its id and unit besides the ability's rules.
  return compiledOnce(ability, `Report:count:${viewerKey(viewer)}`, () => compileCountAccess(ability, viewer));
}

function compileCountAccess(ability: AppAbility, viewer: Viewer): CountAccess {
  const rows = reportScope(ability, 'aggregate');
  const viewerId = viewer.kind === 'person' ? viewer.personId : null;
  const other = reportCellScope(ability, viewerId, 'other');
  // A viewer who is not a person has no reporting line: that class is empty.
  const line = viewerId === null ? NONE : reportCellScope(ability, viewerId, 'line');
  if (!other || !line) return { rows };
  const unitId = viewer.kind === 'person' ? viewer.orgUnitId : null;
  const scopeOf = (authorClass: 'line' | 'other', kind: 'mine' | 'elsewhere') =>
    authorClass === 'line' && viewerId === null ? NONE : reportCellScope(ability, viewerId, authorClass, { kind, unitId });
  const otherMine = scopeOf('other', 'mine');
  const otherElsewhere = scopeOf('other', 'elsewhere');
  const lineMine = scopeOf('line', 'mine');
  const lineElsewhere = scopeOf('line', 'elsewhere');
  const byUnit = otherMine && otherElsewhere && lineMine && lineElsewhere ? { unitId, otherMine, otherElsewhere, lineMine, lineElsewhere } : undefined;
  const ownRows = reportScope(ability, 'aggregate', 'probe');
  return { rows, cells: { viewerId, other, line, ownRows, ...(byUnit ? { byUnit } : {}) } };
}

export function personScope(ability: AppAbility): Scope {
  return compiledOnce(ability, 'Person:read', () => compileScope(ability, 'read', 'Person', personFields));
}

export function orgUnitScope(ability: AppAbility): Scope {
  return compiledOnce(ability, 'OrgUnit:read', () => compileScope(ability, 'read', 'OrgUnit', orgUnitFields));
}

export function auditEventScope(ability: AppAbility): Scope {
  return compiledOnce(ability, 'AuditEvent:read', () => compileScope(ability, 'read', 'AuditEvent', auditEventFields));
}

/** Tags a loaded object with its subject type, so CASL evaluates conditions on it. */
export function asSubject<K extends keyof SubjectShapes>(type: K, object: SubjectShapes[K]): TaggedSubject {
  // CASL tags the object in place; a copy keeps the caller's object untouched.
  return tag(type, { ...object }) as unknown as TaggedSubject;
}

export function canOnReport(ability: AppAbility, action: Action, report: ReportSubject): boolean {
  return ability.can(action, asSubject('Report', report));
}

export function canOnPerson(ability: AppAbility, action: Action, person: PersonSubject): boolean {
  return ability.can(action, asSubject('Person', person));
}

/**
 * The smallest bucket an aggregate may show the viewer: dashboards never see fewer than
 * DASHBOARD_MIN_BUCKET_SIZE, whatever they ask for; people get what they ask for.
 */
export function minimumBucketSize(viewer: Viewer, requested: number | null | undefined): number {
  const floor = viewer.kind === 'service' && viewer.roles.includes('dashboard') ? DASHBOARD_MIN_BUCKET_SIZE : 0;
  return Math.max(floor, requested ?? 0);
}

/** Grouping or filtering aggregates by person needs person access (dashboards have none). */
export function mayBreakDownByPerson(ability: AppAbility): boolean {
  return ability.can('read', 'Person');
}
