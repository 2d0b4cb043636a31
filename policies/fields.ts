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
    if (!readable.has(field)) masked[field] = new ForbiddenError(`Not allowed to read ${type}.${field}`);
  }
  return masked as Masked<SubjectShapes[K]>;
}
