/**
 * Who a token's bearer is in the org source: one indexed statement per request, so that an
 * import (a deprovisioning) takes effect on the very next request on every replica.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { rows } from '../db/rows.ts';

/** A person as the org source describes them, with the facts roles are derived from. */
export interface PersonFacts {
  readonly id: string;
  readonly oktaId: string;
  readonly email: string;
  readonly displayName: string;
  readonly title: string | null;
  readonly orgUnitId: string;
  readonly active: boolean;
  readonly inBuilderRelations: boolean;
  readonly hasDirectReports: boolean;
}

interface PersonFactsRow extends Record<string, unknown> {
  id: string;
  okta_id: string;
  email: string;
  display_name: string;
  title: string | null;
  org_unit_id: string;
  active: boolean;
  in_builder_relations: boolean;
  has_direct_reports: boolean;
}

export type PersonLookup = { readonly oktaId: string } | { readonly email: string } | { readonly id: string };

export async function findPersonFacts(db: Executor, lookup: PersonLookup): Promise<PersonFacts | undefined> {
  // By email only among active people: an address may be reused after its holder left.
  // has_direct_reports is a LIMIT 1 scalar subquery on purpose: as EXISTS, the planner may hash
  // the whole people table for a one-row lookup.
  const match =
    'id' in lookup
      ? sql`p.id = ${lookup.id}`
      : 'oktaId' in lookup
        ? sql`p.okta_id = ${lookup.oktaId}`
        : sql`lower(p.email) = lower(${lookup.email}) and p.active`;
  const [row] = await rows<PersonFactsRow>(
    db,
    sql`select p.id, p.okta_id, p.email, p.display_name, p.title, p.org_unit_id, p.active,
               coalesce(u.in_builder_relations, false) as in_builder_relations,
               coalesce((select true from people d where d.manager_id = p.id and d.last_seen_sequence = p.last_seen_sequence limit 1), false) as has_direct_reports
        from people p left join org_units u on u.id = p.org_unit_id
        where ${match}
        limit 1`,
  );
  if (!row) return undefined;
  return {
    id: row.id,
    oktaId: row.okta_id,
    email: row.email,
    displayName: row.display_name,
    title: row.title,
    orgUnitId: row.org_unit_id,
    active: row.active,
    inBuilderRelations: row.in_builder_relations,
    hasDirectReports: row.has_direct_reports,
  };
}
