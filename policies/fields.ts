/**
 * Field rules (DESIGN §4), enforced in this one place: an object leaving a resolver is masked
 * with `permittedFieldsOf`; each field the viewer may not read is replaced by a FORBIDDEN error,
 * which GraphQL turns into `null` plus one error for that field's path. Fields outside the
 * subject's known list (relations) are governed by their own subject's rules.
 */
import { permittedFieldsOf } from '@casl/ability/extra';
import { ForbiddenError } from '../errors.ts';
import { asSubject } from './access.ts';
import { PERSON_FIELDS, REPORT_FIELDS, type AppAbility, type SubjectShapes } from './subjects.ts';

const KNOWN_FIELDS = { Report: REPORT_FIELDS, Person: PERSON_FIELDS } as const;
type FieldRuledSubject = keyof typeof KNOWN_FIELDS;

/** A subject with each hidden field replaced by the error its path will carry. */
export type Masked<T> = { readonly [K in keyof T]: T[K] | ForbiddenError };

export function readableFields<K extends FieldRuledSubject>(ability: AppAbility, type: K, object: SubjectShapes[K]): Set<string> {
  const known: readonly string[] = KNOWN_FIELDS[type];
  return new Set(
    permittedFieldsOf(ability, 'read', asSubject(type, object), { fieldsFrom: (rule) => rule.fields ?? [...known] }),
  );
}

export function maskHiddenFields<K extends FieldRuledSubject>(
  ability: AppAbility,
  type: K,
  object: SubjectShapes[K],
): Masked<SubjectShapes[K]> {
  const readable = readableFields(ability, type, object);
  const masked: Record<string, unknown> = { ...object };
  for (const field of KNOWN_FIELDS[type]) {
    if (!readable.has(field)) masked[field] = hiddenFieldError(type, field);
  }
  return masked as Masked<SubjectShapes[K]>;
}

/**
 * One error per hidden (subject, field), made once: constructing an error captures a stack, and
 * doing that for every hidden field of every row cost a sixth of a 50-row page's CPU (measured
 * with --cpu-prof). Sharing is safe because GraphQL never returns this object itself: it wraps
 * it in a new error located at each field's path, carrying its message and code.
 */
const hiddenFieldErrors = new Map<string, ForbiddenError>();

function hiddenFieldError(type: FieldRuledSubject, field: string): ForbiddenError {
  const key = `${type}.${field}`;
  let error = hiddenFieldErrors.get(key);
  if (!error) {
    error = new ForbiddenError(`Not allowed to read ${key}`);
    hiddenFieldErrors.set(key, error);
  }
  return error;
}
