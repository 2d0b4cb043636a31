/**
 * Who a token's bearer is in the org source, with the privileged grants in force for them: one
 * indexed statement per request, so that an import (a deprovisioning), an exception's approval,
 * expiry or revocation, and a break-glass session's start, end or expiry take effect on the very
 * next request on every replica. "In force" is decided with the database clock (`now()`) at
 * query time: expiry needs no job.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { prepareStatement, preparedRead } from '../db/prepared.ts';

/** A role exception in force: approved by a second admin, not revoked, not expired. */
export interface ActiveException {
  readonly id: string;
  readonly role: string;
  readonly approvedBy: string;
  readonly expiresAt: Date;
}

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
  /** Role exceptions in force: approved, not revoked, unexpired. */
  readonly exceptions: readonly ActiveException[];
  /** The person's break-glass session in force (not ended, unexpired), if any. */
  readonly breakGlassSessionId: string | null;
}

interface ExceptionJson {
  id: string;
  role: string;
  approvedBy: string;
  expiresAt: string;
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
  /** json: postgres.js and PGlite both parse it; a string is parsed here just in case. */
  exceptions: ExceptionJson[] | string | null;
  break_glass_session_id: string | null;
}

export type PersonLookup = { readonly oktaId: string } | { readonly email: string } | { readonly id: string };

/** By email only among active people: an address may be reused after its holder left. */
const PERSON_MATCH = {
  id: sql`p.id = ${sql.placeholder('value')}`,
  oktaId: sql`p.okta_id = ${sql.placeholder('value')}`,
  email: sql`lower(p.email) = lower(${sql.placeholder('value')}) and p.active`,
} as const;

// has_direct_reports is a LIMIT 1 scalar subquery on purpose: as EXISTS, the planner may hash
// the whole people table for a one-row lookup. The grant subqueries run on their person
// indexes; now() is the database's clock, the same on every replica.
function personFactsStatement(match: SQL): SQL {
  return sql`select p.id, p.okta_id, p.email, p.display_name, p.title, p.org_unit_id, p.active,
               coalesce(u.in_builder_relations, false) as in_builder_relations,
               coalesce((select true from people d where d.manager_id = p.id and d.last_seen_sequence = p.last_seen_sequence limit 1), false) as has_direct_reports,
               (select json_agg(json_build_object('id', e.id, 'role', e.role, 'approvedBy', e.approved_by, 'expiresAt', e.expires_at) order by e.role, e.id)
                  from role_exceptions e
                  where e.person_id = p.id and e.approved_at is not null and e.revoked_at is null and e.expires_at > now()) as exceptions,
               (select b.id from break_glass_sessions b
                  where b.person_id = p.id and b.ended_at is null and b.expires_at > now()
                  order by b.started_at desc limit 1) as break_glass_session_id
        from people p left join org_units u on u.id = p.org_unit_id
        where ${match}
        limit 1`;
}

export async function findPersonFacts(db: Executor, lookup: PersonLookup): Promise<PersonFacts | undefined> {
  const [by, value] = 'id' in lookup ? (['id', lookup.id] as const) : 'oktaId' in lookup ? (['oktaId', lookup.oktaId] as const) : (['email', lookup.email] as const);
  const read = preparedRead(db, { scopes: [], shape: `person facts by ${by}` }, () =>
    prepareStatement<PersonFactsRow>(db, personFactsStatement(PERSON_MATCH[by]), 'person_facts'),
  );
  const [row] = await read.execute({ value });
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
    exceptions: exceptionsOf(row.exceptions),
    breakGlassSessionId: row.break_glass_session_id,
  };
}

function exceptionsOf(value: PersonFactsRow['exceptions']): ActiveException[] {
  if (value === null) return [];
  const list = typeof value === 'string' ? (JSON.parse(value) as ExceptionJson[]) : value;
  return list.map((entry) => ({ id: entry.id, role: entry.role, approvedBy: entry.approvedBy, expiresAt: new Date(entry.expiresAt) }));
}
