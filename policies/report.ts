/**
 * Who may do what with a report (DESIGN §4).
 *
 * Read: 1 the author; 2 a manager whose reporting line holds the author; 3 any member, for
 * PUBLISHED or ARCHIVED INTERNAL reports; 4 for PUBLISHED or ARCHIVED CONFIDENTIAL reports, an
 * analyst or a person of the report's org unit; 5 a break-glass session. `customerAccounts` only
 * under 1, 2, 5, or for an analyst. `aggregate` (counts, stats) follows read, row for row.
 *
 * Rules say who; the workflow (schema/…/transitions) says from which state.
 */
import type { AbilityBuilder } from '@casl/ability';
import type { ReportRow } from '../db/schema.ts';
import { contains } from './conditions.ts';
import { REPORT_FIELDS, type AppAbility } from './subjects.ts';
import { hasRole, type Viewer } from './viewer.ts';

const RELEASED = { $in: ['PUBLISHED', 'ARCHIVED'] satisfies ReportRow['status'][] };
const WITHOUT_CUSTOMER_ACCOUNTS = REPORT_FIELDS.filter((field) => field !== 'customerAccounts');

export function defineReportRules({ can }: AbilityBuilder<AppAbility>, viewer: Viewer): void {
  if (viewer.kind === 'service') {
    if (hasRole(viewer, 'dashboard')) {
      can('aggregate', 'Report', { status: 'PUBLISHED', sensitivity: 'INTERNAL' }).because(
        'dashboards count published internal reports',
      );
    }
    return;
  }
  if (viewer.kind !== 'person' || !hasRole(viewer, 'member')) return;
  const me = viewer.personId;
  const analyst = hasRole(viewer, 'analyst');
  const releasedFields = analyst ? undefined : WITHOUT_CUSTOMER_ACCOUNTS;

  // 1 and 2: the author and their managers see everything, customer accounts included.
  can(['read', 'aggregate'], 'Report', { authorId: me }).because('rule 1: you are the author');
  can(['read', 'aggregate'], 'Report', { authorManagerIds: contains(me) }).because(
    'rule 2: the author is in your reporting line',
  );
  // 3: released internal reports, for every member.
  const internal = 'rule 3: published or archived internal reports are open to every member';
  can('read', 'Report', releasedFields, { status: RELEASED, sensitivity: 'INTERNAL' }).because(internal);
  can('aggregate', 'Report', { status: RELEASED, sensitivity: 'INTERNAL' }).because(internal);
  // 4: released confidential reports, for analysts, or within the report's own org unit.
  const confidential = analyst
    ? { status: RELEASED, sensitivity: 'CONFIDENTIAL' as const }
    : { status: RELEASED, sensitivity: 'CONFIDENTIAL' as const, orgUnitId: viewer.orgUnitId };
  const why = analyst
    ? 'rule 4: published or archived confidential reports are open to analysts'
    : 'rule 4: published or archived confidential reports are open within their org unit';
  can('read', 'Report', releasedFields, confidential).because(why);
  can('aggregate', 'Report', confidential).because(why);
  // 5: break-glass.
  if (viewer.breakGlass) can(['read', 'aggregate'], 'Report').because('rule 5: an active break-glass session');

  if (hasRole(viewer, 'builder')) can('create', 'Report').because('builders create reports');
  can(['update', 'submit', 'archive'], 'Report', { authorId: me }).because('the author edits, submits and archives');
  can(['publish', 'return', 'archive'], 'Report', { authorManagerIds: contains(me) }).because(
    'a manager whose reporting line holds the author reviews and archives',
  );
  // An author with no manager in the org source publishes their own.
  can('publish', 'Report', { authorId: me, authorHasManager: false }).because(
    'an author with no manager in the org source publishes their own',
  );
}
