/**
 * Readable fields, asked once per combination of matching rules, against their reference: CASL's
 * `permittedFieldsOf` on a tagged copy of each object. One ability answers a random sequence of
 * objects (few ids, so they share and differ in every condition), as a page of rows does.
 */
import fc from 'fast-check';
import { permittedFieldsOf } from '@casl/ability/extra';
import { describe, expect, it } from 'vitest';
import { asSubject } from '../../../policies/access.ts';
import { maskHiddenFields, readableFields } from '../../../policies/fields.ts';
import { buildAbility } from '../../../policies/index.ts';
import { PERSON_ROLES } from '../../../policies/roles.ts';
import { PERSON_FIELDS, REPORT_FIELDS, type PersonSubject, type ReportSubject } from '../../../policies/subjects.ts';
import type { Viewer } from '../../../policies/viewer.ts';
import { ForbiddenError } from '../../../errors.ts';

const ids = fc.constantFrom('p1', 'p2', 'p3');
const units = fc.constantFrom('u1', 'u2');

const viewers: fc.Arbitrary<Viewer> = fc.record({
  kind: fc.constant('person' as const),
  personId: ids,
  orgUnitId: units,
  roles: fc.subarray([...PERSON_ROLES]),
  breakGlass: fc.boolean(),
});

const reports: fc.Arbitrary<ReportSubject> = fc
  .record({
    authorId: ids,
    authorManagerIds: fc.subarray(['p1', 'p2', 'p3']),
    status: fc.constantFrom('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED' as const),
    sensitivity: fc.constantFrom('INTERNAL', 'CONFIDENTIAL' as const),
    orgUnitId: units,
  })
  .map((fields) => ({
    id: '00000000-0000-4000-8000-000000000001',
    title: 't', summary: '', body: '', tags: [], customerAccounts: ['acme'],
    createdAt: new Date(0), updatedAt: new Date(0), publishedAt: null, reviewNote: null,
    authorHasManager: fields.authorManagerIds.length > 0,
    ...fields,
  }) as ReportSubject);

const people: fc.Arbitrary<PersonSubject> = fc
  .record({ id: ids, managerIds: fc.subarray(['p1', 'p2', 'p3']), orgUnitId: units })
  .map((fields) => ({
    oktaId: 'o', email: 'e@example.com', displayName: 'd', title: null, active: true,
    managerId: fields.managerIds[0] ?? null,
    ...fields,
  }) as PersonSubject);

function reference(ability: ReturnType<typeof buildAbility>, type: 'Report' | 'Person', object: ReportSubject | PersonSubject): string[] {
  const all: readonly string[] = type === 'Report' ? REPORT_FIELDS : PERSON_FIELDS;
  const subject = type === 'Report' ? asSubject('Report', object as ReportSubject) : asSubject('Person', object as PersonSubject);
  return permittedFieldsOf(ability, 'read', subject, { fieldsFrom: (rule) => rule.fields ?? [...all] }).sort();
}

describe('readable fields', () => {
  it('are what permittedFieldsOf answers, for every object a viewer meets in any order', () => {
    fc.assert(
      fc.property(viewers, fc.array(fc.oneof(reports, people), { minLength: 1, maxLength: 30 }), (viewer, objects) => {
        const ability = buildAbility(viewer);
        for (const object of objects) {
          const type = 'authorId' in object ? 'Report' : 'Person';
          const cached = type === 'Report' ? readableFields(ability, 'Report', object as ReportSubject) : readableFields(ability, 'Person', object as PersonSubject);
          expect([...cached].sort()).toEqual(reference(ability, type, object));
        }
      }),
    );
  });

  it('mask a copy on the prototype given, with an error in each hidden field and the rest untouched', () => {
    class View {}
    const viewer: Viewer = { kind: 'person', personId: 'p1', orgUnitId: 'u1', roles: ['member'], breakGlass: false };
    const report = fc.sample(reports, 1)[0]!;
    const released = { ...report, authorId: 'p2', authorManagerIds: ['p3'], status: 'PUBLISHED', sensitivity: 'INTERNAL' } as ReportSubject;
    const masked = maskHiddenFields(buildAbility(viewer), 'Report', released, View.prototype);
    expect(masked).toBeInstanceOf(View);
    expect(masked).not.toBe(released);
    expect(masked.customerAccounts).toBeInstanceOf(ForbiddenError);
    expect(released.customerAccounts).toEqual(report.customerAccounts);
    expect(masked.title).toBe(released.title);
  });
});
