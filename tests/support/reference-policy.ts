/**
 * DESIGN §4 written plainly, with no CASL and no SQL: the reference the policy is tested
 * against. Deliberately naive (walks manager links, recomputes everything) so that it is easy to
 * read against the design text.
 */

export interface RefPerson {
  id: string;
  managerId: string | null;
  orgUnitId: string;
  active: boolean;
}

export interface RefUnit {
  id: string;
  parentId: string | null;
  kind: string | null;
}

export interface RefOrg {
  people: RefPerson[];
  units: RefUnit[];
}

export interface RefReport {
  id: string;
  authorId: string;
  orgUnitId: string;
  status: 'DRAFT' | 'IN_REVIEW' | 'PUBLISHED' | 'ARCHIVED';
  sensitivity: 'INTERNAL' | 'CONFIDENTIAL';
}

export type RefViewer =
  | { kind: 'person'; personId: string | null; groups: string[]; breakGlass: boolean }
  | { kind: 'client'; clientId: string };

function person(org: RefOrg, id: string | null): RefPerson | undefined {
  return org.people.find((candidate) => candidate.id === id);
}

/** Everyone above `id` in the manager chain, as given by the snapshot. */
export function managersOf(org: RefOrg, id: string): string[] {
  const managers: string[] = [];
  for (let current = person(org, id)?.managerId ?? null; current; current = person(org, current)?.managerId ?? null) {
    managers.push(current);
  }
  return managers;
}

function isInReportingLineOf(org: RefOrg, viewerId: string, personId: string): boolean {
  return managersOf(org, personId).includes(viewerId);
}

function isBuilder(org: RefOrg, unitId: string): boolean {
  for (let unit = org.units.find((candidate) => candidate.id === unitId); unit; unit = org.units.find((candidate) => candidate.id === unit?.parentId)) {
    if (unit.kind === 'builder-relations') return true;
  }
  return false;
}

/** The viewer's active person record, or undefined: a missing or inactive person gets nothing. */
function activePerson(org: RefOrg, viewer: RefViewer): RefPerson | undefined {
  if (viewer.kind !== 'person') return undefined;
  const found = person(org, viewer.personId);
  return found?.active ? found : undefined;
}

const released = (report: RefReport) => report.status === 'PUBLISHED' || report.status === 'ARCHIVED';

export function refRoles(org: RefOrg, viewer: RefViewer): string[] {
  if (viewer.kind === 'client') return viewer.clientId === 'dashboard-service' ? ['dashboard'] : [];
  const me = activePerson(org, viewer);
  if (!me) return [];
  const roles = ['member'];
  if (isBuilder(org, me.orgUnitId)) roles.push('builder');
  if (org.people.some((other) => other.managerId === me.id)) roles.push('manager');
  if (viewer.groups.includes('builder-insights-analysts')) roles.push('analyst');
  if (viewer.groups.includes('builder-insights-auditors')) roles.push('auditor');
  if (viewer.groups.includes('builder-insights-admins')) roles.push('admin');
  return roles;
}

/** Which of DESIGN §4's five read rules let the viewer read the report (empty: none). */
export function readRules(org: RefOrg, viewer: RefViewer, report: RefReport): number[] {
  const me = activePerson(org, viewer);
  if (!me || viewer.kind !== 'person') return [];
  const analyst = viewer.groups.includes('builder-insights-analysts');
  const rules: number[] = [];
  if (report.authorId === me.id) rules.push(1);
  if (isInReportingLineOf(org, me.id, report.authorId)) rules.push(2);
  if (released(report) && report.sensitivity === 'INTERNAL') rules.push(3);
  if (released(report) && report.sensitivity === 'CONFIDENTIAL' && (analyst || me.orgUnitId === report.orgUnitId)) rules.push(4);
  if (viewer.breakGlass) rules.push(5);
  return rules;
}

export function refCanRead(org: RefOrg, viewer: RefViewer, report: RefReport): boolean {
  return readRules(org, viewer, report).length > 0;
}

/** Reports counted in aggregates: what one may read; dashboards see published internal ones. */
export function refCanAggregate(org: RefOrg, viewer: RefViewer, report: RefReport): boolean {
  if (viewer.kind === 'client') {
    return viewer.clientId === 'dashboard-service' && report.status === 'PUBLISHED' && report.sensitivity === 'INTERNAL';
  }
  return refCanRead(org, viewer, report);
}

export function refCanReadCustomerAccounts(org: RefOrg, viewer: RefViewer, report: RefReport): boolean {
  const rules = readRules(org, viewer, report);
  const analyst = viewer.kind === 'person' && viewer.groups.includes('builder-insights-analysts');
  return rules.some((rule) => rule === 1 || rule === 2 || rule === 5) || (analyst && rules.length > 0);
}

export function refCanReadPerson(org: RefOrg, viewer: RefViewer): boolean {
  return activePerson(org, viewer) !== undefined;
}

export function refCanReadEmail(org: RefOrg, viewer: RefViewer, target: RefPerson): boolean {
  const me = activePerson(org, viewer);
  if (!me || viewer.kind !== 'person') return false;
  if (viewer.groups.includes('builder-insights-auditors') || viewer.groups.includes('builder-insights-admins')) return true;
  return target.id === me.id || isInReportingLineOf(org, me.id, target.id);
}

/** Who may take a workflow action on a report (the state checks come after, separately). */
export function refMayChange(
  org: RefOrg,
  viewer: RefViewer,
  report: RefReport,
  action: 'update' | 'submit' | 'publish' | 'return' | 'archive',
): boolean {
  const me = activePerson(org, viewer);
  if (!me) return false;
  const author = report.authorId === me.id;
  const managerInLine = isInReportingLineOf(org, me.id, report.authorId);
  switch (action) {
    case 'update':
    case 'submit':
      return author;
    case 'publish':
      return managerInLine || (author && person(org, report.authorId)?.managerId === null);
    case 'return':
      return managerInLine;
    case 'archive':
      return author || managerInLine;
  }
}
