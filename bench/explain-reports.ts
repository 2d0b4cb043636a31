/**
 * `npx tsx bench/explain-reports.ts [--person ID]`: the plan and timing of `reports(first: 50)` for one
 * viewer against DATABASE_URL (seed it first: `npm run seed -- --people 50000 --reports 1000000`).
 * Captures the exact SQL the repository sends, then runs it under EXPLAIN (ANALYZE, BUFFERS).
 * By default picks the manager whose reporting line is closest to 10,000 people.
 */
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { resolvePrincipal } from '../auth/principal.ts';
import type { Database } from '../db/client.ts';
import { countReports, listReports } from '../db/repositories/reports.ts';
import * as schema from '../db/schema.ts';
import { databaseTargetFromEnv } from '../db/target.ts';
import { reportScope } from '../policies/access.ts';
import { buildAbility } from '../policies/index.ts';
import { viewerOf } from '../policies/principal.ts';

const { values } = parseArgs({ options: { person: { type: 'string' } } });
const target = databaseTargetFromEnv();
if (target.driver !== 'postgres') throw new Error('set DATABASE_URL to a seeded PostgreSQL database');
const client = postgres(target.url, { max: 1, onnotice: () => {} });
const captured: { sql: string; params: unknown[] }[] = [];
const db = drizzle({ client, schema, logger: { logQuery: (sql, params) => captured.push({ sql, params }) } }) as unknown as Database;

const [closest] = values.person
  ? [{ manager_id: values.person, size: 0 }]
  : await client<{ manager_id: string; size: number }[]>`
      select manager_id, count(*)::int as size from reporting_lines group by manager_id
      order by abs(count(*) - 10000) limit 1`;
const [person] = await client<{ okta_id: string }[]>`select okta_id from people where id = ${closest!.manager_id}`;
const token = { subject: 'bench', oktaUserId: person!.okta_id, groups: [], scopes: ['insights.read'], issuedAt: new Date(), expiresAt: new Date() };
const ability = buildAbility(viewerOf(await resolvePrincipal(db, token)));
const scope = reportScope(ability, 'read');

captured.length = 0;
await listReports(db, scope, { first: 50 });
await countReports(db, scope);
for (const { sql, params } of captured) {
  const started = performance.now();
  const plan = await client.unsafe(`explain (analyze, buffers) ${sql}`, params as never[]);
  process.stdout.write(`\n-- viewer ${closest!.manager_id} (${closest!.size} people in line); ${(performance.now() - started).toFixed(1)} ms with EXPLAIN\n${sql}\n`);
  for (const row of plan) process.stdout.write(`${String(Object.values(row)[0])}\n`);
}
await client.end();
