/**
 * The report policy over counter tables instead of report rows (db/repositories/report-stats.ts).
 *
 * A counter row stands for every report of one (org unit, status, sensitivity) cell, and, in
 * report_line_counts, only for reports whose author is in one manager's reporting line. Relative
 * to a person viewer V, every report's author is in exactly one class:
 *
 * - `line`: in V's reporting line ("authorManagerIds contains V" holds, "authorId = V" does not);
 * - `other`: anyone else but V (neither holds).
 *
 * Within a class, the rules' author conditions are constants, so the same CASL rules compile to
 * a condition on the cell columns alone. A condition a class cannot decide (an author other
 * than V, a field counters do not hold) makes the plan undecidable, and the caller counts
 * report rows instead: never a guess.
 *
 * Groupings without ORG_UNIT go one step further: split by unit class too, the viewer's own
 * unit (`mine`) or any other (`elsewhere`), unit conditions become constants as well, and the
 * (status, sensitivity) totals stand for every unit.
 */
import type { Scope } from '../../db/scope.ts';
import { reports } from '../../db/schema.ts';
import type { AppAbility } from '../subjects.ts';
import { compileScope, PolicyCompileError } from './compile.ts';
import { column, enumColumn, type FieldSql, type SqlFieldMap } from './fields.ts';

export type AuthorClass = 'line' | 'other';

/** Which org units a cell stands for: its own column, or the viewer's unit, or every other unit. */
export type UnitClass = { readonly kind: 'any' } | { readonly kind: 'mine' | 'elsewhere'; readonly unitId: string | null };
const ANY_UNIT: UnitClass = { kind: 'any' };

/** A rule the counters cannot evaluate for this class: count rows instead. */
export class UndecidableOnCounters extends PolicyCompileError {}

function authorIdField(viewerId: string | null): FieldSql {
  return (operator, value) => {
    // Neither class holds V's own reports, and beyond V the counters know no author.
    if (viewerId !== null && value === viewerId && operator === 'eq') return false;
    if (viewerId !== null && value === viewerId && operator === 'ne') return true;
    throw new UndecidableOnCounters(`authorId ${operator} ${JSON.stringify(value)}`);
  };
}

function authorManagerIdsField(viewerId: string | null, authorClass: AuthorClass): FieldSql {
  return (operator, value) => {
    const onlyViewer = Array.isArray(value) && value.length === 1 && value[0] === viewerId;
    if (viewerId !== null && operator === 'all' && onlyViewer) return authorClass === 'line';
    throw new UndecidableOnCounters(`authorManagerIds ${operator} ${JSON.stringify(value)}`);
  };
}

function orgUnitIdField(unit: UnitClass): FieldSql {
  if (unit.kind === 'any') return column(reports.orgUnitId);
  return (operator, value) => {
    if (operator === 'eq' && unit.unitId !== null && value === unit.unitId) return unit.kind === 'mine';
    // Another named unit is never the viewer's; among "every other unit" it may or may not be.
    if (operator === 'eq' && unit.kind === 'mine' && unit.unitId !== null) return false;
    throw new UndecidableOnCounters(`orgUnitId ${operator} ${JSON.stringify(value)} for ${unit.kind} units`);
  };
}

function undecidable(field: string): FieldSql {
  return () => {
    throw new UndecidableOnCounters(`${field} is not held by the counters`);
  };
}

/** Field map for counter rows aliased "reports" (the cell columns share the reports' names). */
export function reportCellFields(viewerId: string | null, authorClass: AuthorClass, unit: UnitClass = ANY_UNIT): SqlFieldMap {
  return {
    status: enumColumn(reports.status),
    sensitivity: enumColumn(reports.sensitivity),
    orgUnitId: orgUnitIdField(unit),
    authorId: authorIdField(viewerId),
    authorManagerIds: authorManagerIdsField(viewerId, authorClass),
    authorHasManager: undecidable('authorHasManager'),
    id: undecidable('id'),
  };
}

/** The Scope of counter rows of one author class, or undefined when the rules need report rows. */
export function reportCellScope(
  ability: AppAbility,
  viewerId: string | null,
  authorClass: AuthorClass,
  unit: UnitClass = ANY_UNIT,
): Scope | undefined {
  try {
    return compileScope(ability, 'aggregate', 'Report', reportCellFields(viewerId, authorClass, unit));
  } catch (error) {
    if (error instanceof UndecidableOnCounters) return undefined;
    throw error;
  }
}
