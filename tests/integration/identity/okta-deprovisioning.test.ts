/**
 * Issue 3 acceptance, deprovisioning (DESIGN §2, §3): the org source is authoritative, so a
 * person marked inactive, or missing, in a newer org import loses every role on the very next
 * request, although their token is still valid. The gateway runs on a PostgreSQL database that
 * this test process changes underneath it, as the org importer on another replica would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { demoPersonas, demoSnapshot, type DemoPersonaKey, type DemoPersonPersona } from '../../../db/seed/demo.ts';
import { importOrgSnapshot } from '../../../org/import.ts';
import type { OrgSnapshot } from '../../../org/snapshot.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';
import {
  bearer,
  callGraphQL,
  expectData,
  leakedSecrets,
  startOktaGateway,
  TokenLedger,
  type OktaGateway,
} from '../../support/okta-gateway.ts';
import { personaClaims, startOktaIssuer, type OktaIssuer } from '../../support/okta-issuer.ts';

const ME_AND_REPORTS = '{ me { kind roles person { id } } reports(first: 5) { totalCount } }';
const CREATE_REPORT = 'mutation { createReport(input: { title: "x" }) { id } }';

function persona(key: DemoPersonaKey): DemoPersonPersona {
  const found = demoPersonas.find((candidate): candidate is DemoPersonPersona => candidate.key === key);
  if (!found) throw new Error(`no demo persona ${key}`);
  return found;
}

/** The demo org at `sequence`, with `edit` applied to its people. */
function demoOrgAt(sequence: number, edit: (people: OrgSnapshot['people']) => OrgSnapshot['people']): OrgSnapshot {
  const snapshot = demoSnapshot();
  return { ...snapshot, sequence, generatedAt: new Date().toISOString(), people: edit(snapshot.people) };
}

describe.runIf(postgresUrl !== undefined)('okta mode on PostgreSQL: deprovisioning by an org import', () => {
  let database: TestDatabase;
  let issuer: OktaIssuer;
  let gateway: OktaGateway;
  const ledger = new TokenLedger();
  const builder = persona('builder');
  const teammate = persona('teammate');

  /** One token per persona, minted once and reused: deprovisioning must not wait for a new token. */
  const tokens = new Map<string, string>();
  const tokenOf = async (who: DemoPersonPersona) => {
    if (!tokens.has(who.key)) tokens.set(who.key, ledger.record(await issuer.accessToken(personaClaims(who))));
    return tokens.get(who.key) as string;
  };
  const ask = async (who: DemoPersonPersona, query = ME_AND_REPORTS) => callGraphQL(gateway.url, { authorization: bearer(await tokenOf(who)), query });
  const view = async (who: DemoPersonPersona) => {
    const data = expectData(await ask(who));
    return { me: data.me as { kind: string; roles: string[]; person: { id: string } | null }, totalCount: (data.reports as { totalCount: number }).totalCount };
  };

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await loadDemoData(database.db);
    issuer = await startOktaIssuer();
    gateway = await startOktaGateway(issuer, { DATABASE_URL: database.url as string, DEMO_DATA: 'false' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await issuer?.close();
    await database?.close();
  });

  it('before the import: the builder and the teammate have roles and see reports', async () => {
    for (const who of [builder, teammate]) {
      const { me, totalCount } = await view(who);
      expect(me, who.key).toMatchObject({ kind: 'PERSON', roles: ['member', 'builder'], person: { id: who.personId } });
      expect(totalCount, who.key).toBeGreaterThan(0);
    }
  });

  it('the very next request after an import marking the builder inactive and dropping the teammate: no roles, no reports, no writes', async () => {
    const result = await importOrgSnapshot(
      database.db,
      demoOrgAt(2, (people) =>
        people
          .filter((record) => record.id !== teammate.personId)
          .map((record) => (record.id === builder.personId ? { ...record, active: false } : record)),
      ),
      { source: 'test' },
    );
    expect(result).toMatchObject({ status: 'applied', deactivated: 1 });

    for (const who of [builder, teammate]) {
      const { me, totalCount } = await view(who);
      expect(me, who.key).toMatchObject({ kind: 'PERSON', roles: [], person: { id: who.personId } });
      expect(totalCount, who.key).toBe(0);
      const write = await ask(who, CREATE_REPORT);
      expect(write.body?.errors?.map((error) => error.extensions?.code), who.key).toEqual(['FORBIDDEN']);
    }
  });

  it('a later import reactivating the builder gives the roles back on the next request (nothing stale is cached)', async () => {
    await importOrgSnapshot(database.db, demoOrgAt(3, (people) => people), { source: 'test' });
    const { me, totalCount } = await view(builder);
    expect(me).toMatchObject({ kind: 'PERSON', roles: ['member', 'builder'] });
    expect(totalCount).toBeGreaterThan(0);
  });

  it('the same two tokens were used throughout, and none appears in the gateway output', () => {
    expect(ledger.size).toBe(2);
    expect(leakedSecrets(gateway.output(), ledger)).toEqual([]);
  });
});
