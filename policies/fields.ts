/**
 * Field rules (DESIGN §4), enforced in this one place: an object leaving a resolver is masked
 * with `permittedFieldsOf`; each field the viewer may not read is replaced by a FORBIDDEN error,
 * which GraphQL turns into `null` plus one error for that field's path. Fields outside the
 * subject's known list (relations) are governed by their own subject's rules.
 */
import { permittedFieldsOf } from '@casl/ability/extra';
import { ForbiddenError } from '../errors.ts';
import { asSubject } from './access.ts';
import { PERSON_FIELDS, REPORT_FIELDS, type AppAbility, type SubjectShapes, type TaggedSubject } from './subjects.ts';

const KNOWN_FIELDS = { Report: REPORT_FIELDS, Person: PERSON_FIELDS } as const;
type FieldRuledSubject = keyof typeof KNOWN_FIELDS;

/** A subject with each hidden field replaced by the error its path will carry. */
export type Masked<T> = { readonly [K in keyof T]: T[K] | ForbiddenError };

export function readableFields<K extends FieldRuledSubject>(ability: AppAbility, type: K, object: SubjectShapes[K]): ReadonlySet<string> {
  const rules = ability.possibleRulesFor('read', type);
  // CASL's answer is a function of which of these rules match the object (permittedFieldsOf
  // folds their fields in order), so each combination is asked once per ability: a page's rows
  // share a few, where asking per row built a copy, an array and a Set for every row.
  let matching = type as string;
  // Conditions read the object's fields only; the subject tag (a copy, asSubject) is for type detection.
  const untagged = object as unknown as TaggedSubject;
  for (const rule of rules) matching += rule.matchesConditions(untagged) ? '1' : '0';
  const known = knownByAbility(ability);
  let fields = known.get(matching);
  if (!fields) {
    const all: readonly string[] = KNOWN_FIELDS[type];
    fields = new Set(permittedFieldsOf(ability, 'read', asSubject(type, object), { fieldsFrom: (rule) => rule.fields ?? [...all] }));
    known.set(matching, fields);
  }
  return fields;
}

/** Readable fields by (type, matching rules), per ability: abilities are per viewer and cached (ability-cache.ts). */
const readableByAbility = new WeakMap<AppAbility, Map<string, ReadonlySet<string>>>();

function knownByAbility(ability: AppAbility): Map<string, ReadonlySet<string>> {
  let known = readableByAbility.get(ability);
  if (!known) {
    known = new Map();
    readableByAbility.set(ability, known);
  }
  return known;
}

/**
 * The object as it leaves a resolver: a copy with each hidden field replaced by its error, on
 * `prototype` when given. type-graphql copies a field resolver's parent onto its class's
 * prototype on every call unless it already is an instance, so a view built on the prototype is
 * copied once, here, rather than once per field resolver per row.
 */
export function maskHiddenFields<K extends FieldRuledSubject>(
  ability: AppAbility,
  type: K,
  object: SubjectShapes[K],
  prototype: object = Object.prototype,
): Masked<SubjectShapes[K]> {
  const readable = readableFields(ability, type, object);
  const masked = Object.assign(Object.create(prototype) as object, object) as Record<string, unknown>;
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
