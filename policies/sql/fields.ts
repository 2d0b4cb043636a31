/**
 * How each field a rule may name becomes SQL: real columns by operator, virtual fields by the
 * subquery that defines them. A field missing here cannot be used in a rule that reaches SQL.
 */
import { eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { PolicyCompileError } from './compile.ts';

/**
 * A field's condition as SQL, or as a constant when the field's value is known without reading
 * a row (a counter class decides it): constants fold away (policies/sql/compile.ts), so the
 * statement holds only the conditions a row can still fail.
 */
export type FieldSql = (operator: string, value: unknown) => SQL | boolean;
export type SqlFieldMap = Readonly<Record<string, FieldSql>>;

/** A stored column: eq, ne, in, nin with CASL's null semantics. */
export function column(target: AnyPgColumn): FieldSql {
  return (operator, value) => {
    switch (operator) {
      case 'eq':
        return value === null ? sql`${target} is null` : eq(target, value);
      case 'ne':
        return value === null ? sql`${target} is not null` : sql`${target} is distinct from ${value}`;
      case 'in':
        return inArray(target, asArray(value));
      case 'nin':
        return notInArray(target, asArray(value));
      default:
        throw new PolicyCompileError(`operator "${operator}" is not supported on a column`);
    }
  };
}

/**
 * An enum column. Its values in rules are the schema's own labels (PUBLISHED, CONFIDENTIAL), the
 * same for every viewer, so they are written into the statement as literals: a compiled report
 * policy names them some forty times, and as parameters each cost encoding, binding and a
 * typing check per statement. Anything that is not one of the column's labels stays a parameter.
 */
export function enumColumn(target: AnyPgColumn & { readonly enumValues: readonly string[] }): FieldSql {
  const compile = column(target);
  const labels = new Set(target.enumValues);
  const isLabel = (value: unknown): value is string => typeof value === 'string' && labels.has(value) && /^[A-Z_]+$/.test(value);
  const literal = (label: string) => sql.raw(`'${label}'`);
  return (operator, value) => {
    if (isLabel(value)) return compile(operator, literal(value));
    if (Array.isArray(value) && value.every(isLabel)) return compile(operator, value.map(literal));
    return compile(operator, value);
  };
}

/** A virtual array field: "contains id" becomes the EXISTS the caller builds for one id. */
export function containsVia(existsFor: (id: unknown) => SQL): FieldSql {
  return (operator, value) => {
    if (operator === 'eq' && typeof value === 'string') return existsFor(value);
    if (operator === 'all') {
      const ids = asArray(value);
      if (ids.length === 0) return true;
      return sql.join(ids.map((id) => existsFor(id)), sql` and `);
    }
    throw new PolicyCompileError(`operator "${operator}" is not supported on an array field`);
  };
}

/** A virtual boolean field defined by a SQL predicate. */
export function booleanVia(predicate: SQL): FieldSql {
  return (operator, value) => {
    if (operator !== 'eq' || typeof value !== 'boolean') {
      throw new PolicyCompileError(`only equality with a boolean is supported on a boolean field`);
    }
    return value ? predicate : sql`not (${predicate})`;
  };
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new PolicyCompileError('expected an array operand');
  return value;
}
