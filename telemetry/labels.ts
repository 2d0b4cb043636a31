/**
 * Metric labels that cannot grow without bound (DESIGN §7): a value outside the registered
 * set is counted as `other`, so a client sending random operation or client names adds no
 * series. Values our own code produces (policy subjects, token failure reasons) go through a
 * guard too, so a bug that passes user input cannot explode the series count either.
 */
import { isPublicCode } from '../errors.ts';

export const OTHER = 'other';
/** An operation sent without a name. */
export const ANONYMOUS = 'anonymous';

/** A registered name as it is; anything else (absent included) as `other`. */
export function registeredOr(value: string | undefined, registered: ReadonlySet<string>): string {
  return value !== undefined && registered.has(value) ? value : OTHER;
}

/**
 * The operation label: its name when registered, `anonymous` for an operation sent without a
 * name (`null` or ''), `other` for any other name or an unknown operation (`undefined`: the
 * request never got as far as resolving one).
 */
export function operationLabel(name: string | undefined | null, registered: ReadonlySet<string>): string {
  if (name === null || name === '') return ANONYMOUS;
  return registeredOr(name, registered);
}

/**
 * The outcome label of a request: `ok`, INTERNAL_SERVER_ERROR, or one of the public error codes
 * (errors.ts, the one list of them). Any other code is counted as `other`.
 */
export function outcomeLabel(outcome: string): string {
  return outcome === 'ok' || outcome === 'INTERNAL_SERVER_ERROR' || isPublicCode(outcome) ? outcome : OTHER;
}

const LABEL_SHAPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/**
 * For labels whose values come from the gateway's own code: accepts identifier-shaped values
 * until `maxDistinct` different ones have been seen, then counts new ones as `other`.
 */
export function boundedLabel(maxDistinct: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!LABEL_SHAPE.test(value)) return OTHER;
    if (seen.has(value)) return value;
    if (seen.size >= maxDistinct) return OTHER;
    seen.add(value);
    return value;
  };
}
