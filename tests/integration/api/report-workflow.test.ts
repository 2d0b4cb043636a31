/**
 * The report lifecycle over HTTP: each transition allowed and denied, errors in DESIGN §4's
 * order, and (on PostgreSQL, where the test can read the gateway's database) exactly one audit
 * event per refused or successful mutation, none for invalid input.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../db/schema.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { codes, personaClient } from '../../support/graphql-client.ts';

type Client = ReturnType<typeof personaClient>;

const FIELDS = 'id status reviewNote publishedAt title';

async function createDraft(client: Client, title = 'Workflow test report'): Promise<string> {
  const response = await client.as('builder').query(`mutation($t: String!) { createReport(input: { title: $t }) { id } }`, { t: title });
  return (response.body.data?.createReport as { id: string }).id;
}

const transition = (client: Client, persona: string, name: string, id: string, extra = '') =>
  client.as(persona).query(`mutation($id: ID!) { ${name}(id: $id${extra}) { ${FIELDS} } }`, { id });

describe('the report lifecycle', () => {
  let gateway: GatewayProcess;
  let client: Client;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  it('goes DRAFT → IN_REVIEW → DRAFT (returned) → IN_REVIEW → PUBLISHED → ARCHIVED', async () => {
    const id = await createDraft(client);
    expect((await transition(client, 'builder', 'submitReport', id)).body.data?.submitReport).toMatchObject({ status: 'IN_REVIEW' });
    const returned = await transition(client, 'manager', 'returnReport', id, ', reason: "Add the customer impact"');
    expect(returned.body.data?.returnReport).toMatchObject({ status: 'DRAFT', reviewNote: 'Add the customer impact' });
    const edited = await client.as('builder').query('mutation($id: ID!) { updateReport(id: $id, input: { title: "Revised" }) { title status } }', { id });
    expect(edited.body.data?.updateReport).toEqual({ title: 'Revised', status: 'DRAFT' });
    expect((await transition(client, 'builder', 'submitReport', id)).body.data?.submitReport).toMatchObject({ status: 'IN_REVIEW', reviewNote: null });
    const published = await transition(client, 'director', 'publishReport', id);
    expect(published.body.data?.publishReport).toMatchObject({ status: 'PUBLISHED', publishedAt: expect.any(String) });
    expect((await transition(client, 'builder', 'archiveReport', id)).body.data?.archiveReport).toMatchObject({ status: 'ARCHIVED' });
  });

  it('answers NOT_FOUND for a hidden report exactly as for a missing one', async () => {
    const id = await createDraft(client);
    const hidden = await transition(client, 'outsider', 'submitReport', id);
    const missing = await transition(client, 'outsider', 'submitReport', '00000000-0000-4000-8000-999999999999');
    expect(codes(hidden)).toEqual(['NOT_FOUND']);
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(hidden.body.data).toBeNull();
  });

  it('checks NOT_FOUND, then FORBIDDEN, then the state', async () => {
    const id = await createDraft(client);
    // The manager sees the draft but may not submit it (FORBIDDEN), whatever its state.
    expect(codes(await transition(client, 'manager', 'submitReport', id))).toEqual(['FORBIDDEN']);
    // The author may not publish his own (he has a manager): FORBIDDEN before the state check.
    expect(codes(await transition(client, 'builder', 'publishReport', id))).toEqual(['FORBIDDEN']);
    // The manager may publish, but not a DRAFT: BAD_USER_INPUT naming the state.
    const early = await transition(client, 'manager', 'publishReport', id);
    expect(codes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.body.errors?.[0]?.message).toMatch(/DRAFT/);
    // The author may archive, but not a DRAFT.
    expect(codes(await transition(client, 'builder', 'archiveReport', id))).toEqual(['BAD_USER_INPUT']);
  });

  it('lets a teammate who sees a published report do nothing to it', async () => {
    const alansPublishedConfidential = '00000000-0000-4000-8000-000000000004';
    expect(codes(await transition(client, 'teammate', 'archiveReport', alansPublishedConfidential))).toEqual(['FORBIDDEN']);
    expect(codes(await transition(client, 'outsider', 'archiveReport', alansPublishedConfidential))).toEqual(['NOT_FOUND']);
  });

  it('validates input before anything else', async () => {
    const id = await createDraft(client);
    const empty = await client.as('builder').query('mutation($id: ID!) { updateReport(id: $id, input: {}) { id } }', { id });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    const longTitle = await client.as('builder').query('mutation($id: ID!, $t: String!) { updateReport(id: $id, input: { title: $t }) { id } }', { id, t: 'x'.repeat(201) });
    expect(codes(longTitle)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await transition(client, 'manager', 'returnReport', id, ', reason: " "'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe.runIf(postgresUrl !== undefined)('audit per outcome (PostgreSQL)', () => {
  let database: TestDatabase;
  let gateway: GatewayProcess;
  let client: Client;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await loadDemoData(database.db);
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', DATABASE_URL: database.url!, DEMO_DATA: 'false' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => {
    await gateway?.stop();
    await database?.close();
  });

  async function eventsDuring(action: () => Promise<unknown>) {
    const [{ max } = { max: 0 }] = await database.db.select({ max: sql<number>`coalesce(max(${auditEvents.id}), 0)::int` }).from(auditEvents);
    await action();
    return database.db.select().from(auditEvents).where(sql`${auditEvents.id} > ${max}`);
  }

  it('writes one ALLOW event per change, one DENY per refusal, none for bad input or a wrong state', async () => {
    let id = '';
    const created = await eventsDuring(async () => (id = await createDraft(client)));
    expect(created).toMatchObject([{ action: 'report.create', decision: 'ALLOW', subjectId: id, actorId: 'p-alan', details: { fields: ['title'] } }]);
    expect(created[0]?.policyVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(created[0]?.requestId).toBeTruthy();

    const submitted = await eventsDuring(() => transition(client, 'builder', 'submitReport', id));
    expect(submitted).toMatchObject([{ action: 'report.submit', decision: 'ALLOW', details: { from: 'DRAFT', to: 'IN_REVIEW' } }]);

    const forbidden = await eventsDuring(() => transition(client, 'builder', 'publishReport', id));
    expect(forbidden).toMatchObject([{ action: 'report.publish', decision: 'DENY', subjectId: id, actorId: 'p-alan' }]);

    const hidden = await eventsDuring(() => transition(client, 'outsider', 'archiveReport', id));
    expect(hidden).toMatchObject([{ action: 'report.archive', decision: 'DENY', actorId: 'p-hedy' }]);

    expect(await eventsDuring(() => transition(client, 'builder', 'submitReport', id))).toEqual([]);
    expect(await eventsDuring(() => client.as('builder').query('mutation($id: ID!) { updateReport(id: $id, input: {}) { id } }', { id }))).toEqual([]);

    const edited = await eventsDuring(() => transition(client, 'manager', 'returnReport', id, ', reason: "Needs numbers"'));
    expect(edited).toMatchObject([{ action: 'report.return', decision: 'ALLOW', details: { fields: ['reviewNote', 'status'] } }]);
    expect(JSON.stringify(edited)).not.toContain('Needs numbers');
  });
});
