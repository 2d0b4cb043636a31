/** The org directory as GraphQL shows it: masked people and pages of them. */
import { z } from 'zod';
import type { Page, PersonRecord } from '../db/repositories/people.ts';
import type { PersonPosition } from '../db/repositories/people-query.ts';
import { maskHiddenFields, type Masked } from '../policies/fields.ts';
import type { PersonSubject } from '../policies/subjects.ts';
import type { GatewayContext } from '../schema/context.ts';
import { Person } from '../schema/types/org.ts';
import type { ConnectionShape } from '../schema/types/connection.ts';
import { decodeCursor, edgeOf, encodeCursor } from './paging.ts';

/** A person leaving a resolver: each field the caller may not read (email) carries its error. */
export type PersonView = Masked<PersonSubject>;

export function maskedPerson(context: GatewayContext, person: PersonRecord): PersonView {
  return maskHiddenFields(context.ability, 'Person', person, Person.prototype);
}

const text = z.string().max(1000);
const directoryCursor = z.strictObject({ n: text, id: text });

/** The cursor of a row in the directory order (display name, then id). */
export function directoryCursorOf(person: PersonRecord): string {
  return encodeCursor({ n: person.displayName, id: person.id });
}

export function decodeDirectoryCursor(after: string | null | undefined): PersonPosition | undefined {
  const position = decodeCursor(after, directoryCursor);
  return position && { displayName: position.n, id: position.id };
}

/** A connection of masked people from a page of records. */
export function personConnection<T extends PersonRecord>(
  context: GatewayContext,
  page: Page<T>,
  totalCount: number,
  cursorOf: (row: T) => string,
): ConnectionShape<PersonView> {
  const edges = page.rows.map((row) => edgeOf(row, maskedPerson(context, row), cursorOf));
  return { edges, totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
