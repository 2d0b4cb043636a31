/**
 * PostgreSQL's COPY text format (the default of `COPY … FROM STDIN`): one line per row, columns
 * separated by tabs, `\N` for NULL. Inside a value, backslash, tab, newline and carriage return
 * are written as backslash escapes; nothing else needs escaping (a lone `\.` cannot appear,
 * since every backslash is doubled). Arrays are written as array literals (`{"a","b"}`), which
 * are then escaped as any other text value.
 *
 * An encoder per column turns a typed value into its field; a layout lists a table's columns in
 * COPY order, keyed by the row's property names, so that a layout missing a column does not
 * type-check.
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

export const COPY_NULL = '\\N';

const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value as a COPY field. */
export function copyText(value: string): string {
  // Most values have nothing to escape: test once rather than always running replace.
  if (!SPECIAL.test(value)) return value;
  return value.replace(SPECIAL_ALL, (character) => {
    // PostgreSQL text cannot hold NUL by any path; say so here rather than as an encoding error mid-COPY.
    if (character === '\0') throw new RangeError('a text value for PostgreSQL cannot contain a NUL character');
    return ESCAPES[character] as string;
  });
}

const ARRAY_ELEMENT_SPECIAL = /["\\]/g;

/**
 * A text[] as an array literal. Every element is quoted, so that empty strings, `NULL`, blanks,
 * braces and commas need no case of their own; inside quotes only `"` and `\` are escaped.
 */
export function arrayLiteral(values: readonly string[]): string {
  if (values.length === 0) return '{}';
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    literal += `"${(values[index] as string).replace(ARRAY_ELEMENT_SPECIAL, '\\$&')}"`;
  }
  return `${literal}}`;
}

/** Turns one column's value into its COPY field. */
export type CopyEncoder<T> = (value: T) => string;

export const text: CopyEncoder<string> = copyText;

export const textArray: CopyEncoder<readonly string[]> = (values) => copyText(arrayLiteral(values));

/** ISO 8601 with the offset: exact for timestamptz(3), whatever the session's time zone. */
export const timestamp: CopyEncoder<Date> = (value) => {
  const time = value.getTime();
  if (Number.isNaN(time)) throw new RangeError('an invalid Date cannot be written');
  return value.toISOString();
};

export const integer: CopyEncoder<number> = (value) => {
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected a safe integer, got ${value}`);
  return String(value);
};

/** jsonb: JSON text, escaped as text (JSON's own backslashes are doubled). */
export const json: CopyEncoder<unknown> = (value) => {
  const encoded = JSON.stringify(value);
  if (encoded === undefined) throw new TypeError('a value with no JSON form cannot be written as jsonb');
  return copyText(encoded);
};

export function nullable<T>(encode: CopyEncoder<T>): CopyEncoder<T | null> {
  return (value) => (value === null ? COPY_NULL : encode(value));
}

/** Every property of Row, each with its encoder, in COPY column order. */
export type CopyLayout<Row> = { readonly [Key in keyof Row]-?: CopyEncoder<Row[Key]> };

export interface CopyTable<Row> {
  readonly table: string;
  readonly columns: readonly string[];
  /** One row as a COPY line, newline included. */
  line(row: Row): string;
}

/** A layout bound to a drizzle table: column names come from the schema, so they cannot drift. */
export function copyTable<Row extends object>(table: PgTable, layout: CopyLayout<Row>): CopyTable<Row> {
  const schemaColumns = getTableColumns(table);
  const keys = Object.keys(layout) as (keyof Row & string)[];
  const columns = keys.map((key) => {
    const column = schemaColumns[key];
    if (!column) throw new TypeError(`${getTableName(table)} has no column for the property ${key}`);
    return column.name;
  });
  const missing = Object.keys(schemaColumns).filter((key) => !keys.includes(key as keyof Row & string));
  if (missing.length > 0) throw new TypeError(`the COPY layout of ${getTableName(table)} misses ${missing.join(', ')}`);
  const encoders = keys.map((key) => [key, layout[key] as CopyEncoder<unknown>] as const);
  return {
    table: getTableName(table),
    columns,
    line(row) {
      let line = '';
      for (let index = 0; index < encoders.length; index++) {
        const [key, encode] = encoders[index] as (typeof encoders)[number];
        const value: unknown = row[key];
        if (value === undefined) throw new TypeError(`${getTableName(table)}.${key} is missing: COPY applies no column default`);
        line += index === 0 ? encode(value) : `\t${encode(value)}`;
      }
      return `${line}\n`;
    },
  };
}
