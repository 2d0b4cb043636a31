/** The org directory as GraphQL shows it. */
import type { PersonRecord } from '../db/repositories/people.ts';
import { maskHiddenFields } from '../policies/fields.ts';
import type { GatewayContext } from '../schema/context.ts';

export function maskedPerson(context: GatewayContext, person: PersonRecord) {
  return maskHiddenFields(context.ability, 'Person', person);
}
