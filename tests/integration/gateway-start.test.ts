/**
 * The gateway as an operator starts it: a real process, real HTTP, each database driver.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, openTestDatabase, type TestDatabase } from '../support/database.ts';
import { runGatewayToExit, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { smallOrg } from '../support/org-fixtures.ts';

async function getJson(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('starting the gateway', () => {
  it('refuses to start without AUTH_MODE, naming the variable', async () => {
    const exited = await runGatewayToExit({ PGLITE_DIR: 'memory://' });
    expect(exited.code).toBe(78);
    expect(exited.stderr).toMatch(/AUTH_MODE: is required/);
  });

  it('refuses the development issuer under NODE_ENV=production', async () => {
    const exited = await runGatewayToExit({ AUTH_MODE: 'dev', NODE_ENV: 'production' });
    expect(exited.code).toBe(78);
    expect(exited.stderr).toMatch(/AUTH_MODE: "dev" .* refused under NODE_ENV=production/);
    expect(exited.stderr).toMatch(/AUTH_ISSUER: is required under NODE_ENV=production/);
    expect(exited.stderr).toMatch(/DATABASE_URL: is required under NODE_ENV=production/);
  });

  it('names each bad variable in one message', async () => {
    const exited = await runGatewayToExit({ AUTH_MODE: 'dev', PORT: 'eighty', MAX_BODY_BYTES: '-1' });
    expect(exited.code).toBe(78);
    expect(exited.stderr).toMatch(/PORT: .*"eighty"/);
    expect(exited.stderr).toMatch(/MAX_BODY_BYTES: /);
    expect(exited.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('on embedded PGlite with the demo org (the npm start defaults)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
  });
  afterAll(async () => gateway?.stop());

  it('is alive and ready', async () => {
    expect(await getJson(`${gateway.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${gateway.url}/readyz`)).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', migrations: 'ok', org: 'ok' } },
    });
  });

  it('answers GraphQL at /graphql for a persona token of the dev issuer', async () => {
    const minted = await getJson(`${gateway.url}/dev-issuer/token`, { method: 'POST', body: JSON.stringify({ persona: 'builder' }) });
    const response = await getJson(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${String(minted.body.access_token)}` },
      body: JSON.stringify({ query: '{ me { kind roles person { id } } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { kind: 'PERSON', roles: ['member', 'builder'], person: { id: 'p-alan' } } } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('asks for a token, with a bare Bearer challenge, when none is sent', async () => {
    const response = await getJson(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { kind } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="builder-insights"');
    expect(response.body).toEqual({ errors: [{ message: 'An access token is required', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('refuses a body over MAX_BODY_BYTES with 413', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { kind } }${' '.repeat(1024 * 1024)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('answers 400 to a body that is not JSON, and 404 off its routes', async () => {
    const response = await getJson(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(response).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect((await fetch(`${gateway.url}/nowhere`)).status).toBe(404);
  });

  it('binds to loopback in dev mode', () => {
    expect(gateway.logs.find((entry) => entry.message === 'listening')).toMatchObject({ address: '127.0.0.1', authMode: 'dev' });
  });
});

describe.each(drivers)('with ORG_SNAPSHOT on $name', ({ name, available }) => {
  let directory: string;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bi-gateway-'));
    if (available && name === 'postgres') database = await openTestDatabase('postgres', { migrate: false });
  });
  afterAll(async () => {
    await database?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const databaseEnv = (): Record<string, string> =>
    database?.url ? { DATABASE_URL: database.url } : { PGLITE_DIR: join(directory, 'pglite') };

  it.runIf(available)('imports it at start, then keeps the org in force when a later file is bad', async () => {
    const snapshotPath = join(directory, 'org.json');
    await writeFile(snapshotPath, JSON.stringify(smallOrg(5)));
    const first = await startGatewayProcess({ AUTH_MODE: 'dev', DEMO_DATA: 'false', ORG_SNAPSHOT: snapshotPath, ...databaseEnv() });
    try {
      expect(first.logs.find((entry) => entry.message === 'org snapshot applied')).toMatchObject({ sequence: 5, people: 7 });
      expect((await getJson(`${first.url}/readyz`)).status).toBe(200);
    } finally {
      await first.stop();
    }

    await writeFile(snapshotPath, JSON.stringify(smallOrg(4)));
    const second = await startGatewayProcess({ AUTH_MODE: 'dev', DEMO_DATA: 'false', ORG_SNAPSHOT: snapshotPath, ...databaseEnv() });
    try {
      const rejection = second.logs.find((entry) => entry.message === 'ORG_SNAPSHOT rejected; the org in force is unchanged');
      expect(rejection).toMatchObject({ level: 'error', problems: [expect.stringMatching(/sequence 4 is older than sequence 5/)] });
      expect((await getJson(`${second.url}/readyz`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it.runIf(available)('is not ready while no org has been imported', async () => {
    const empty = name === 'postgres' ? await openTestDatabase('postgres', { migrate: false }) : undefined;
    const env: Record<string, string> = empty?.url ? { DATABASE_URL: empty.url } : { PGLITE_DIR: 'memory://' };
    const gateway = await startGatewayProcess({ AUTH_MODE: 'dev', DEMO_DATA: 'false', ...env });
    try {
      expect(await getJson(`${gateway.url}/readyz`)).toMatchObject({
        status: 503,
        body: { status: 'not ready', checks: { org: 'no org snapshot imported' } },
      });
      expect((await getJson(`${gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await gateway.stop();
      await empty?.close();
    }
  });
});
