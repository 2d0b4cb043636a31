/**
 * The staged org import over HTTP (DESIGN §3, §4): an admin stages a snapshot, checked at once;
 * it is applied only when an admin other than the requester approves, within the approval's
 * transaction; a sequence overtaken meanwhile is refused at approval and the request REJECTED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSnapshot } from '../../../db/seed/demo.ts';
import type { OrgSnapshot } from '../../../org/snapshot.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaClient } from '../../support/graphql-client.ts';
import { audited, dataOf, type Client } from './support.ts';

const STAGE = 'mutation($s: String!) { importOrgSnapshot(snapshot: $s) { id status sequence snapshotHash peopleCount orgUnitCount requestedBy } }';
const APPROVE = 'mutation($id: ID!) { approveOrgImport(id: $id) { id status decidedBy outcome } }';
const STATUS = '{ orgSnapshotStatus { sequence generatedAt importedAt ageSeconds people orgUnits snapshotHash pendingRequests { id sequence status } } }';

interface Request {
  id: string;
  status: string;
  sequence: number;
  snapshotHash: string;
}
interface Status {
  sequence: number;
  people: number;
  orgUnits: number;
  snapshotHash: string;
  ageSeconds: number;
  pendingRequests: { id: string; sequence: number }[];
}

/** The demo org at a later sequence, with one new hire. */
function laterSnapshot(sequence: number, newHire = `p-new-${sequence}`): OrgSnapshot {
  const snapshot = demoSnapshot();
  snapshot.sequence = sequence;
  snapshot.generatedAt = new Date(Date.UTC(2026, 10, 1 + sequence)).toISOString();
  snapshot.people.push({
    id: newHire,
    oktaId: `00unew${String(sequence).padStart(14, '0')}`,
    email: `new.hire${sequence}@example.com`,
    displayName: `New Hire ${sequence}`,
    title: 'Developer Advocate',
    managerId: 'p-dennis',
    orgUnitId: 'ou-br-advocacy-americas',
    active: true,
  });
  return snapshot;
}

describe('staged org import', () => {
  let gateway: GatewayProcess;
  let client: Client;
  const stage = (persona: string, snapshot: OrgSnapshot | string) =>
    audited(client, persona, STAGE, { s: typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot) });
  const status = async () => dataOf<{ orgSnapshotStatus: Status }>(await client.as('admin').query(STATUS)).orgSnapshotStatus;
  const personExists = async (id: string) =>
    dataOf<{ person: unknown }>(await client.as('builder').query('query($id: ID!) { person(id: $id) { id } }', { id })).person !== null;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  it('is applied only after a second admin approves', async () => {
    const initial = await status();
    expect(initial).toMatchObject({ sequence: 1, pendingRequests: [] });
    expect(initial.people).toBeGreaterThan(50);
    expect(initial.ageSeconds).toBeGreaterThan(0);

    const staged = await stage('admin', laterSnapshot(2));
    const request = dataOf<{ importOrgSnapshot: Request & { requestedBy: string } }>(staged.response).importOrgSnapshot;
    expect(request).toMatchObject({ status: 'PENDING', sequence: 2, requestedBy: 'p-jean', peopleCount: initial.people + 1 });
    expect(staged.events).toMatchObject([
      { action: 'org.import.request', decision: 'ALLOW', actorId: 'p-jean', subjectId: request.id, details: { sequence: 2, snapshotHash: request.snapshotHash } },
    ]);
    expect(await status()).toMatchObject({ sequence: 1, pendingRequests: [{ id: request.id, sequence: 2 }] });
    expect(await personExists('p-new-2')).toBe(false);

    const bySameAdmin = await audited(client, 'admin', APPROVE, { id: request.id });
    expect(bySameAdmin.codes).toEqual(['FORBIDDEN']);
    expect(bySameAdmin.events).toMatchObject([{ action: 'org.import.approve', decision: 'DENY', actorId: 'p-jean', subjectId: request.id }]);
    const byNonAdmin = await audited(client, 'auditor', APPROVE, { id: request.id });
    expect(byNonAdmin.codes).toEqual(['FORBIDDEN']);
    expect(byNonAdmin.events).toMatchObject([{ action: 'org.import.approve', decision: 'DENY' }]);
    expect(await personExists('p-new-2')).toBe(false);

    const approved = await audited(client, 'second-admin', APPROVE, { id: request.id });
    expect(dataOf<{ approveOrgImport: unknown }>(approved.response).approveOrgImport).toEqual({ id: request.id, status: 'APPLIED', decidedBy: 'p-betty', outcome: 'applied' });
    // One mutation, one event: the approval records the import (counts, sequence, hash).
    expect(approved.events).toMatchObject([
      {
        action: 'org.import.approve',
        decision: 'ALLOW',
        actorId: 'p-betty',
        subjectId: request.id,
        details: { requestedBy: 'p-jean', outcome: 'applied', sequence: 2, snapshotHash: request.snapshotHash, people: initial.people + 1 },
      },
    ]);
    expect(await personExists('p-new-2')).toBe(true);
    expect(await status()).toMatchObject({ sequence: 2, people: initial.people + 1, snapshotHash: request.snapshotHash, pendingRequests: [] });

    const twice = await audited(client, 'second-admin', APPROVE, { id: request.id });
    expect(twice.codes).toEqual(['BAD_USER_INPUT']);
    expect(twice.events).toEqual([]);
  });

  it('refuses, at approval, a sequence overtaken since it was staged, and marks it REJECTED', async () => {
    const three = dataOf<{ importOrgSnapshot: Request }>((await stage('admin', laterSnapshot(3))).response).importOrgSnapshot;
    const four = dataOf<{ importOrgSnapshot: Request }>((await stage('second-admin', laterSnapshot(4))).response).importOrgSnapshot;
    dataOf(await client.as('admin').query(APPROVE, { id: four.id }));
    const late = await audited(client, 'second-admin', APPROVE, { id: three.id });
    expect(late.codes).toEqual(['BAD_USER_INPUT']);
    expect(late.response.body.errors?.[0]?.message).toMatch(/sequence 3 is older than sequence 4/);
    expect(late.events).toMatchObject([{ action: 'org.import.approve', decision: 'DENY', subjectId: three.id, reason: 'snapshot rejected at approval' }]);
    expect(await personExists('p-new-3')).toBe(false);
    expect(await status()).toMatchObject({ sequence: 4, pendingRequests: [] });
    const again = await audited(client, 'second-admin', APPROVE, { id: three.id });
    expect(again.codes).toEqual(['BAD_USER_INPUT']);
    expect(again.response.body.errors?.[0]?.message).toMatch(/REJECTED/);
  });

  it('refuses a bad snapshot or a sequence not above the one in force when staging, with no event', async () => {
    const unknownManager = laterSnapshot(9);
    unknownManager.people.at(-1)!.managerId = 'p-ghost';
    const cycle = laterSnapshot(9);
    cycle.people.find((person) => person.id === 'p-grace')!.managerId = 'p-ada';
    const cases: [string, OrgSnapshot | string, RegExp][] = [
      ['not JSON', '{ "version": 1,', /not valid JSON/],
      ['wrong version', { ...laterSnapshot(9), version: 2 as 1 }, /version/],
      ['unknown manager', unknownManager, /person p-new-9: unknown manager p-ghost/],
      ['reporting-line cycle', cycle, /reporting-line cycle/],
      ['same sequence', laterSnapshot(4), /sequence 4 is not above sequence 4/],
      ['lower sequence', laterSnapshot(1), /sequence 1 is not above/],
    ];
    for (const [label, snapshot, message] of cases) {
      const { codes, events, response } = await stage('admin', snapshot);
      expect(codes, label).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors?.[0]?.message, label).toMatch(message);
      expect(events, label).toEqual([]);
    }
    expect((await status()).pendingRequests).toEqual([]);
  });

  it('is for admins: others get FORBIDDEN (staging audited as DENY)', async () => {
    const staged = await stage('auditor', laterSnapshot(10));
    expect(staged.codes).toEqual(['FORBIDDEN']);
    expect(staged.events).toMatchObject([{ action: 'org.import.request', decision: 'DENY', actorId: 'p-annie' }]);
    for (const persona of ['auditor', 'outsider', 'analyst']) {
      const response = await client.as(persona).query(STATUS);
      expect(response.body.errors?.map((error) => error.extensions?.code), persona).toEqual(['FORBIDDEN']);
    }
    const missing = await audited(client, 'second-admin', APPROVE, { id: '00000000-0000-4000-8000-999999999999' });
    expect(missing.codes).toEqual(['NOT_FOUND']);
    expect(missing.events).toMatchObject([{ action: 'org.import.approve', decision: 'DENY', reason: 'not found' }]);
  });
});
