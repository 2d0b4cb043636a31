import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../../db/scope.ts';
import { reportScope } from '../../../policies/access.ts';
import { buildAbility } from '../../../policies/index.ts';
import { compileScope, PolicyCompileError } from '../../../policies/sql/compile.ts';
import { reportFields } from '../../../policies/sql/subjects.ts';
import type { AppAbility } from '../../../policies/subjects.ts';

const dialect = new PgDialect();

function render(scope: Scope): string {
  if (scope.kind !== 'where') return scope.kind;
  const query = dialect.sqlToQuery(scope.where);
  return `${query.sql} ${JSON.stringify(query.params)}`;
}

function ability(define: (builder: AbilityBuilder<AppAbility>) => void): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  define(builder);
  return builder.build();
}

describe('compileScope', () => {
  it('compiles "no rule" to none, never to "no filter"', () => {
    expect(compileScope(ability(() => {}), 'read', 'Report', reportFields)).toEqual({ kind: 'none' });
    expect(reportScope(buildAbility({ kind: 'nobody' }), 'read')).toEqual({ kind: 'none' });
    const inactive = buildAbility({ kind: 'person', personId: 'p', orgUnitId: 'u', roles: [], breakGlass: false });
    expect(reportScope(inactive, 'read')).toEqual({ kind: 'none' });
    expect(reportScope(inactive, 'aggregate')).toEqual({ kind: 'none' });
  });

  it('compiles an unconditional rule to all, and lets it absorb conditional ones', () => {
    const scope = compileScope(
      ability(({ can }) => {
        can('read', 'Report', { authorId: 'p1' });
        can('read', 'Report');
      }),
      'read',
      'Report',
      reportFields,
    );
    expect(scope).toEqual({ kind: 'all' });
  });

  it('turns an inverted rule into a NULL-safe NOT', () => {
    const scope = compileScope(
      ability(({ can, cannot }) => {
        can('read', 'Report');
        cannot('read', 'Report', { sensitivity: 'CONFIDENTIAL' });
      }),
      'read',
      'Report',
      reportFields,
    );
    expect(render(scope)).toBe('not coalesce("reports"."sensitivity" = \'CONFIDENTIAL\', false) []');
  });

  it("writes the schema's enum labels as literals, and any other value as a parameter", () => {
    const scope = compileScope(
      ability(({ can }) => {
        can('read', 'Report', { status: { $in: ['PUBLISHED', 'ARCHIVED'] }, sensitivity: 'INTERNAL' });
        // Not labels of the enum: a hostile string and a lower-case look-alike stay parameters.
        can('read', 'Report', { status: "PUBLISHED') or (true" as 'PUBLISHED' });
        can('read', 'Report', { sensitivity: { $in: ['INTERNAL', 'internal' as 'INTERNAL'] } });
      }),
      'read',
      'Report',
      reportFields,
    );
    expect(render(scope)).toBe(
      '(("reports"."sensitivity" in ($1, $2) or "reports"."status" = $3 or ("reports"."status" in (\'PUBLISHED\', \'ARCHIVED\') and "reports"."sensitivity" = \'INTERNAL\'))) ' +
        JSON.stringify(['INTERNAL', 'internal', "PUBLISHED') or (true"]),
    );
  });

  it('turns "in the author\'s reporting line" into a closure-table EXISTS, not an id list', () => {
    const viewer = { kind: 'person' as const, personId: 'p-vp', orgUnitId: 'u', roles: ['member' as const], breakGlass: false };
    const rendered = render(reportScope(buildAbility(viewer), 'read'));
    expect(rendered).toContain('exists (select 1 from "reporting_lines" where "reporting_lines"."manager_id" = $');
    expect(rendered).toContain('"reporting_lines"."person_id" = "reports"."author_id")');
    expect(rendered).not.toMatch(/"author_id" in \(/);
  });

  it.each([
    ['an unmapped field', (b: AbilityBuilder<AppAbility>) => b.can('read', 'Report', { title: 'x' })],
    ['an unsupported operator', (b: AbilityBuilder<AppAbility>) => b.can('read', 'Report', { authorId: { $regex: '^p' } })],
  ])('fails closed on %s', (_case, define) => {
    expect(() => compileScope(ability(define), 'read', 'Report', reportFields)).toThrow(PolicyCompileError);
  });

  it('keeps null semantics of $ne as CASL does (a NULL column is "not equal")', () => {
    const scope = compileScope(ability(({ can }) => can('read', 'Report', { orgUnitId: { $ne: 'u1' } })), 'read', 'Report', reportFields);
    expect(render(scope)).toBe('"reports"."org_unit_id" is distinct from $1 ["u1"]');
  });
});
