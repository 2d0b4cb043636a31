/**
 * The report policy as a table: every viewer profile × relation to the author × status ×
 * sensitivity, with the decision for each action. Each cell is decided by CASL (policies/) and
 * by the plain reference model of DESIGN §4, which must agree; the whole table is also kept in
 * report-table.txt, so a rule change shows up as a readable diff in review.
 */
import { describe, expect, it } from 'vitest';
import type { ReportRow } from '../../../db/schema.ts';
import { canOnReport } from '../../../policies/access.ts';
import { readableFields } from '../../../policies/fields.ts';
import { buildAbility, type Viewer } from '../../../policies/index.ts';
import type { PersonRole } from '../../../policies/roles.ts';
import type { ReportSubject } from '../../../policies/subjects.ts';
import * as ref from '../../support/reference-policy.ts';

const GROUP = { analyst: 'builder-insights-analysts', auditor: 'builder-insights-auditors', admin: 'builder-insights-admins' };

interface Profile {
  readonly name: string;
  readonly viewer: Viewer;
  readonly refViewer: ref.RefViewer;
  /** The viewer's person in the reference org (inactive for the deprovisioned profile). */
  readonly active: boolean;
  readonly unit: string;
}

function person(name: string, roles: PersonRole[], groups: string[], options: { breakGlass?: boolean; active?: boolean; unit?: string } = {}): Profile {
  const active = options.active ?? true;
  return {
    name,
    viewer: { kind: 'person', personId: 'v', orgUnitId: options.unit ?? 'u-br', roles: active ? roles : [], breakGlass: options.breakGlass ?? false },
    refViewer: { kind: 'person', personId: 'v', groups, breakGlass: options.breakGlass ?? false },
    active,
    unit: options.unit ?? 'u-br',
  };
}

const PROFILES: Profile[] = [
  person('member (not BR)', ['member', 'manager'], [], { unit: 'u-sales' }),
  person('builder', ['member', 'builder', 'manager'], []),
  person('analyst', ['member', 'builder', 'manager', 'analyst'], [GROUP.analyst]),
  person('auditor', ['member', 'builder', 'manager', 'auditor'], [GROUP.auditor]),
  person('admin', ['member', 'builder', 'manager', 'admin'], [GROUP.admin]),
  person('admin+break-glass', ['member', 'builder', 'manager', 'admin'], [GROUP.admin], { breakGlass: true }),
  person('inactive analyst', [], [GROUP.analyst], { active: false }),
  {
    name: 'dashboard service',
    viewer: { kind: 'service', clientId: 'dashboard-service', roles: ['dashboard'] },
    refViewer: { kind: 'client', clientId: 'dashboard-service' },
    active: false,
    unit: '-',
  },
  { name: 'unlisted client', viewer: { kind: 'nobody' }, refViewer: { kind: 'client', clientId: 'rogue' }, active: false, unit: '-' },
];

const RELATIONS = ['self', 'in line', 'same unit', 'other'] as const;
type Relation = (typeof RELATIONS)[number];
const STATUSES: ReportRow['status'][] = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED'];
const SENSITIVITIES: ReportRow['sensitivity'][] = ['INTERNAL', 'CONFIDENTIAL'];
const ACTIONS = ['read', 'customerAccounts', 'aggregate', 'update', 'submit', 'publish', 'return', 'archive'] as const;

/** The reference org for one profile and relation: viewer v, author a, a top manager m. */
function world(profile: Profile, relation: Relation): { org: ref.RefOrg; authorId: string; reportUnit: string } {
  const viewerUnit = profile.unit === '-' ? 'u-sales' : profile.unit;
  const org: ref.RefOrg = {
    units: [
      { id: 'u-root', parentId: null, kind: null },
      { id: 'u-br', parentId: 'u-root', kind: 'builder-relations' },
      { id: 'u-sales', parentId: 'u-root', kind: null },
      { id: 'u-other', parentId: 'u-root', kind: null },
    ],
    people: [
      { id: 'm', managerId: null, orgUnitId: 'u-root', active: true },
      { id: 'v', managerId: 'm', orgUnitId: viewerUnit, active: profile.active },
      { id: 'under', managerId: 'v', orgUnitId: 'u-other', active: true },
      { id: 'peer', managerId: 'm', orgUnitId: viewerUnit, active: true },
      { id: 'stranger', managerId: 'm', orgUnitId: 'u-other', active: true },
    ],
  };
  const authorId = { self: 'v', 'in line': 'under', 'same unit': 'peer', other: 'stranger' }[relation];
  const reportUnit = { self: viewerUnit, 'in line': 'u-other', 'same unit': viewerUnit, other: 'u-other' }[relation];
  return { org, authorId, reportUnit };
}

function subjectOf(report: ref.RefReport, org: ref.RefOrg): ReportSubject {
  const now = new Date('2026-11-20T00:00:00Z');
  return {
    id: report.id,
    title: 't',
    summary: '',
    body: '',
    tags: [],
    customerAccounts: ['acme'],
    status: report.status,
    sensitivity: report.sensitivity,
    authorId: report.authorId,
    orgUnitId: report.orgUnitId,
    createdAt: now,
    updatedAt: now,
    publishedAt: null,
    reviewNote: null,
    authorManagerIds: ref.managersOf(org, report.authorId),
    authorHasManager: org.people.find((entry) => entry.id === report.authorId)?.managerId != null,
  };
}

function decisions(profile: Profile, relation: Relation, status: ReportRow['status'], sensitivity: ReportRow['sensitivity']) {
  const { org, authorId, reportUnit } = world(profile, relation);
  const report: ref.RefReport = { id: 'r', authorId, orgUnitId: reportUnit, status, sensitivity };
  const ability = buildAbility(profile.viewer);
  const subject = subjectOf(report, org);
  const casl = {
    read: canOnReport(ability, 'read', subject),
    customerAccounts: canOnReport(ability, 'read', subject) && readableFields(ability, 'Report', subject).has('customerAccounts'),
    aggregate: canOnReport(ability, 'aggregate', subject),
    update: canOnReport(ability, 'update', subject),
    submit: canOnReport(ability, 'submit', subject),
    publish: canOnReport(ability, 'publish', subject),
    return: canOnReport(ability, 'return', subject),
    archive: canOnReport(ability, 'archive', subject),
  };
  const reference = {
    read: ref.refCanRead(org, profile.refViewer, report),
    customerAccounts: ref.refCanRead(org, profile.refViewer, report) && ref.refCanReadCustomerAccounts(org, profile.refViewer, report),
    aggregate: ref.refCanAggregate(org, profile.refViewer, report),
    update: ref.refMayChange(org, profile.refViewer, report, 'update'),
    submit: ref.refMayChange(org, profile.refViewer, report, 'submit'),
    publish: ref.refMayChange(org, profile.refViewer, report, 'publish'),
    return: ref.refMayChange(org, profile.refViewer, report, 'return'),
    archive: ref.refMayChange(org, profile.refViewer, report, 'archive'),
  };
  return { casl, reference };
}

const rows = PROFILES.flatMap((profile) =>
  RELATIONS.flatMap((relation) =>
    STATUSES.flatMap((status) => SENSITIVITIES.map((sensitivity) => ({ profile, relation, status, sensitivity }))),
  ),
);

describe('report policy table', () => {
  it.each(rows.map((row) => [row.profile.name, row.relation, row.status, row.sensitivity, row] as const))(
    '%s · %s · %s · %s: CASL agrees with the reference',
    (_profile, _relation, _status, _sensitivity, row) => {
      const { casl, reference } = decisions(row.profile, row.relation, row.status, row.sensitivity);
      expect(casl).toEqual(reference);
    },
  );

  it('matches the reviewed table in report-table.txt', async () => {
    const pad = (text: string, width: number) => text.padEnd(width);
    const header = `${pad('viewer', 20)}${pad('relation', 11)}${pad('status', 11)}${pad('sensitivity', 14)}${ACTIONS.map((action) => pad(action, 17)).join('')}`;
    const lines = rows.map(({ profile, relation, status, sensitivity }) => {
      const { casl } = decisions(profile, relation, status, sensitivity);
      const cells = ACTIONS.map((action) => pad(casl[action] ? 'yes' : '·', 17)).join('');
      return `${pad(profile.name, 20)}${pad(relation, 11)}${pad(status, 11)}${pad(sensitivity, 14)}${cells}`.trimEnd();
    });
    await expect([header.trimEnd(), ...lines].join('\n') + '\n').toMatchFileSnapshot('./report-table.txt');
  });
});
