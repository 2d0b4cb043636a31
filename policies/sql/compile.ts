/**
 * Compiles an ability's rules for one action and subject type into a Scope (db/scope.ts): the
 * same rules `ability.can` evaluates on a loaded object, as a SQL condition for lists, counts and
 * aggregates. One source of truth, two evaluators; tests hold them equal on hostile rows.
 *
 * Written here rather than taken from a library: CASL ships the rule AST (rulesToAST) but no SQL
 * back end for drizzle, and the young third-party converters do not know our virtual fields
 * (closure-table EXISTS). Anything this compiler does not understand throws: it fails closed.
 */
import { rulesToAST } from '@casl/ability/extra';
import { CompoundCondition, FieldCondition, type Condition } from '@ucast/mongo2js';
import { and, not, or, sql } from 'drizzle-orm';
import { prerendered } from '../../db/prerendered.ts';
import { ALL, NONE, where, type Scope } from '../../db/scope.ts';
import type { Action, AppAbility, SubjectType } from '../subjects.ts';
import type { SqlFieldMap } from './fields.ts';

/** A rule condition the compiler cannot translate: a programmer error in policies/. */
export class PolicyCompileError extends Error {
  override readonly name = 'PolicyCompileError';
}

export function compileScope(ability: AppAbility, action: Action, subjectType: SubjectType, fields: SqlFieldMap): Scope {
  const ast = rulesToAST(ability, action, subjectType);
  // No rule for this action: nothing is accessible (never "no filter").
  if (ast === null) return NONE;
  const scope = compileCondition(ast, fields);
  return scope.kind === 'where' ? where(prerendered(scope.where)) : scope;
}

function compileCondition(condition: Condition, fields: SqlFieldMap): Scope {
  if (condition instanceof CompoundCondition) {
    const parts = (condition.value as Condition[]).map((part) => compileCondition(part, fields));
    switch (condition.operator) {
      case 'and':
        return conjunction(parts);
      case 'or':
        return disjunction(parts);
      case 'not':
        return negation(conjunction(parts));
      default:
        throw new PolicyCompileError(`unsupported compound operator "${condition.operator}"`);
    }
  }
  if (condition instanceof FieldCondition) {
    const field = String(condition.field);
    const compileField = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (!compileField) throw new PolicyCompileError(`no SQL mapping for field "${field}"`);
    const compiled = compileField(condition.operator, condition.value);
    if (typeof compiled === 'boolean') return compiled ? ALL : NONE;
    return where(compiled);
  }
  throw new PolicyCompileError(`unsupported condition "${condition.operator}"`);
}

function conjunction(parts: Scope[]): Scope {
  if (parts.some((part) => part.kind === 'none')) return NONE;
  const conditions = parts.flatMap((part) => (part.kind === 'where' ? [part.where] : []));
  if (conditions.length === 0) return ALL;
  return where(conditions.length === 1 ? conditions[0]! : and(...conditions)!);
}

function disjunction(parts: Scope[]): Scope {
  if (parts.some((part) => part.kind === 'all')) return ALL;
  const conditions = parts.flatMap((part) => (part.kind === 'where' ? [part.where] : []));
  if (conditions.length === 0) return NONE;
  return where(conditions.length === 1 ? conditions[0]! : sql`(${or(...conditions)!})`);
}

/** SQL's NOT of NULL is NULL (a hidden row); CASL's "not matched" is true: coalesce first. */
function negation(part: Scope): Scope {
  if (part.kind === 'all') return NONE;
  if (part.kind === 'none') return ALL;
  return where(not(sql`coalesce(${part.where}, false)`));
}
