/**
 * What a repository is allowed to return, as decided by policy: everything, nothing, or the rows
 * matching a condition. Repositories take a Scope for every read, so "no access" can never be
 * mistaken for "no filter": a `none` scope runs no query at all.
 */
import { sql, type SQL } from 'drizzle-orm';

export type Scope =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'where'; readonly where: SQL };

export const ALL: Scope = Object.freeze({ kind: 'all' });
export const NONE: Scope = Object.freeze({ kind: 'none' });

export function where(condition: SQL): Scope {
  return { kind: 'where', where: condition };
}

/**
 * What a viewer may count: over report rows, and, when the rules are decidable on the report
 * counters (policies/sql/report-cells.ts), per author class over the counters: the viewer's
 * reporting line, and everyone else.
 */
export interface CountAccess {
  readonly rows: Scope;
  readonly cells?: {
    /** The person whose reporting line the `line` class is; null for services. */
    readonly viewerId: string | null;
    readonly other: Scope;
    readonly line: Scope;
    /**
     * The rules over the viewer's own report rows (a few, by the author index), in the probe
     * form: hashed, the line's EXISTS read a VP's 30,001 people to correct three reports.
     */
    readonly ownRows: Scope;
    /**
     * The same classes split by unit: the viewer's own (`unitId`, null when there is none) and
     * every other. Absent when the rules need each unit's own column.
     */
    readonly byUnit?: {
      readonly unitId: string | null;
      readonly otherMine: Scope;
      readonly otherElsewhere: Scope;
      readonly lineMine: Scope;
      readonly lineElsewhere: Scope;
    };
  };
}

/** The scope as one SQL condition (for composing with filters). */
export function scopeCondition(scope: Scope): SQL {
  if (scope.kind === 'all') return sql`true`;
  if (scope.kind === 'none') return sql`false`;
  return scope.where;
}
