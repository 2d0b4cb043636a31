/**
 * Several gateway processes on one PostgreSQL (issue 9): concurrent mutations through all of
 * them leave one verifying audit chain, an org import lands while they serve, and periodic
 * work runs in one process at a time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../db/audit-verify.ts';
import { openDatabase } from '../../../db/client.ts';
import { runExclusively } from '../../../db/exclusive.ts';
import { demoSnapshot } from '../../../db/seed/demo.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { importOrgSnapshot } from '../../../org/import.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../../support/database.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { personaClient } from '../../support/graphql-client.ts';

describe.runIf(postgresUrl !== undefined)('three replicas on one PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: GatewayProcess[] = [];
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await loadDemoData(database.db);
    replicas = await Promise.all(
      [1, 2, 3].map(() => startGatewayProcess({ AUTH_MODE: 'dev', DATABASE_URL: database.url!, DEMO_DATA: 'false' })),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await database?.close();
  });

  it('leave one verifying audit chain after concurrent mutations through all of them', async () => {
    const clients = replicas.map((replica) => personaClient(replica.url));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        clients[n % 3]!.as(n % 4 === 0 ? 'outsider' : 'builder').query(`mutation { createReport(input: { title: "replica ${n}" }) { id } }`),
      ),
    );
    const created = results.filter((result) => result.body.data?.createReport).length;
    const refused = results.filter((result) => result.body.errors?.[0]?.extensions?.code === 'FORBIDDEN').length;
    expect(created + refused).toBe(60);
    expect(refused).toBe(15);
    const verified = await verifyAuditChain(database.db);
    expect(verified).toMatchObject({ ok: true });
  });

  it('keep serving while an org import lands, and all see it on the next request', async () => {
    const clients = replicas.map((replica) => personaClient(replica.url));
    let stop = false;
    const failures: unknown[] = [];
    const load = (async () => {
      while (!stop) {
        const responses = await Promise.all(clients.map((client) => client.as('builder').query('{ reports(first: 5) { edges { node { id } } } }')));
        for (const response of responses) if (response.status !== 200 || response.body.errors) failures.push(response.body);
      }
    })();
    await sleep(200);
    const next = demoSnapshot();
    await importOrgSnapshot(database.db, {
      ...next,
      sequence: next.sequence + 1,
      people: next.people.map((person) => (person.id === 'p-hedy' ? { ...person, active: false } : person)),
    }, { source: 'test' });
    await sleep(200);
    stop = true;
    await load;
    expect(failures).toEqual([]);
    for (const client of clients) {
      const me = await client.as('outsider').query('{ me { roles } }');
      expect(me.body.data?.me).toEqual({ roles: [] });
    }
  });

  it('run periodic work in one process at a time', async () => {
    const others = await Promise.all([1, 2, 3].map(() => openDatabase({ driver: 'postgres', url: database.url!, poolMax: 2 })));
    try {
      let running = 0;
      let overlapped = false;
      let ran = 0;
      await Promise.all(
        others.flatMap((other) =>
          Array.from({ length: 5 }, () =>
            runExclusively(other.db, 4242, async () => {
              running += 1;
              if (running > 1) overlapped = true;
              ran += 1;
              await sleep(30);
              running -= 1;
            }),
          ),
        ),
      );
      expect(overlapped).toBe(false);
      expect(ran).toBeGreaterThanOrEqual(1);
      expect(ran).toBeLessThan(15);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });
});
