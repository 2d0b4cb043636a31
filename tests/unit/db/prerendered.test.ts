/**
 * A prerendered fragment against its reference, the fragment itself: embedded anywhere in a
 * statement, both render to the same text and parameters, whatever the tree holds.
 */
import fc from 'fast-check';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { prerendered } from '../../../db/prerendered.ts';
import { people, reports } from '../../../db/schema.ts';

const dialect = new PgDialect();

const values = fc.oneof(fc.string(), fc.constantFrom('$1', '$2', "'$1'"), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }));

const fragments: fc.Arbitrary<SQL> = fc.letrec<{ fragment: SQL }>((tie) => ({
  fragment: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(sql`${reports.status}`, sql`${people.managerId}`, sql`true`),
    values.map((value) => sql`${value}`),
    // Text that looks like a placeholder: the splitter must not misread it.
    fc.constantFrom(sql.raw("'$1'"), sql.raw("'costs $2'"), sql.raw('$$x$$')),
    fc.tuple(tie('fragment'), tie('fragment')).map(([left, right]) => sql`(${left} = ${right})`),
    fc.array(tie('fragment'), { minLength: 1, maxLength: 4 }).map((parts) => sql.join(parts, sql` and `)),
  ),
})).fragment;

describe('prerendered', () => {
  it('renders as the fragment would, wherever it is embedded', () => {
    fc.assert(
      fc.property(fragments, values, values, (fragment, before, after) => {
        const statement = (part: SQL) => dialect.sqlToQuery(sql`select ${before} where ${part} and ${after}`);
        expect(statement(prerendered(fragment))).toEqual(statement(fragment));
      }),
      { numRuns: 500 },
    );
  });

  it('flattens a tree of columns and parameters into text and parameters', () => {
    const flat = prerendered(sql`(${reports.status} in (${'PUBLISHED'}, ${'ARCHIVED'}) and ${reports.authorId} = ${'p1'})`);
    expect(flat.queryChunks.map((chunk) => chunk?.constructor.name)).toEqual([
      'StringChunk', 'Param', 'StringChunk', 'Param', 'StringChunk', 'Param', 'StringChunk',
    ]);
  });

  it('keeps the tree when its text holds something shaped like a placeholder', () => {
    const fragment = sql`${reports.status} = ${'x'} or ${sql.raw("'$1'")} = ${'y'}`;
    expect(prerendered(fragment)).toBe(fragment);
  });
});
