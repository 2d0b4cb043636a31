/**
 * Per-request batch loaders (DataLoader): every person or org unit a response needs is fetched
 * in one statement per kind, within the caller's scope. Created lazily, once per request.
 */
import DataLoader from 'dataloader';
import { findOrgUnitsByIds, findPeopleByIds, type PersonRecord } from '../db/repositories/people.ts';
import type { OrgUnitRow } from '../db/schema.ts';
import { orgUnitScope, personScope } from '../policies/access.ts';
import type { GatewayContext } from '../schema/context.ts';

export interface Loaders {
  readonly people: DataLoader<string, PersonRecord | undefined>;
  readonly orgUnits: DataLoader<string, OrgUnitRow | undefined>;
}

const byContext = new WeakMap<GatewayContext, Loaders>();

export function loaders(context: GatewayContext): Loaders {
  let found = byContext.get(context);
  if (!found) {
    found = createLoaders(context);
    byContext.set(context, found);
  }
  return found;
}

function createLoaders({ db, ability }: GatewayContext): Loaders {
  return {
    people: new DataLoader(async (ids) => {
      const rows = await findPeopleByIds(db, ids, personScope(ability));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    }),
    orgUnits: new DataLoader(async (ids) => {
      const rows = await findOrgUnitsByIds(db, ids, orgUnitScope(ability));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    }),
  };
}
