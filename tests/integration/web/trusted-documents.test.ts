/**
 * Trusted documents over HTTP: APQ round trip, and the allow-list mode — dashboards (services)
 * always, everyone under TRUSTED_DOCUMENTS=all — refusing an unregistered operation with 400
 * PERSISTED_QUERY_NOT_ALLOWED before anything runs, whatever headers the client sends.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY_FILE, loadRegistry, type OperationRegistry } from '../../../http/persisted-documents.ts';
import { errorCodes, startHarness, type Harness } from './harness.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const EXAMPLES = readFileSync(new URL('../../../web/examples.graphql', import.meta.url), 'utf8');
/** A registered operation, formatted differently from the registry's canonical text. */
const STATS_REFORMATTED = `# counts
query ReportStats($groupBy: [ReportDimension!]!, $filter: ReportFilter, $minBucketSize: Int) { reportStats(groupBy: $groupBy, filter: $filter, minBucketSize: $minBucketSize) { status, sensitivity, orgUnit { id, name }, week, count, suppressed } }`;
const UNREGISTERED = '{ reportStats(groupBy: [STATUS]) { status count } }';

let registry: OperationRegistry;
let services: Harness;
let everyone: Harness;
let off: Harness;

beforeAll(async () => {
  registry = await loadRegistry(DEFAULT_REGISTRY_FILE);
  services = await startHarness({ trustedDocuments: 'services', registry });
  everyone = await startHarness({ trustedDocuments: 'all', registry });
  off = await startHarness({ trustedDocuments: 'off', registry });
});
afterAll(async () => {
  await services?.close();
  await everyone?.close();
  await off?.close();
});

describe('the committed registry', () => {
  it('holds every example operation of GraphiQL (npm run operations:register -- web/examples.graphql)', () => {
    expect(registry.operations.map((operation) => operation.name).sort()).toEqual(['ExplainAccess', 'Me', 'ReportStats', 'Reports']);
    expect(EXAMPLES).toContain('query ReportStats(');
  });
});

describe('TRUSTED_DOCUMENTS=services (the default)', () => {
  it('a dashboard runs a registered operation, however it is formatted, and inside a larger document', async () => {
    const reformatted = await services.post({ query: STATS_REFORMATTED, variables: { groupBy: ['STATUS'] } }, { persona: 'dashboard' });
    expect(reformatted.status).toBe(200);
    expect(reformatted.body?.errors).toBeUndefined();
    expect((reformatted.body?.data?.reportStats as unknown[]).length).toBeGreaterThan(0);
    const whole = await services.post({ query: EXAMPLES, operationName: 'ReportStats', variables: { groupBy: ['ORG_UNIT', 'WEEK'] } }, { persona: 'dashboard' });
    expect(whole.status).toBe(200);
    expect(whole.body?.errors).toBeUndefined();
  });

  it('a dashboard may send the registered hash alone', async () => {
    const stats = registry.operations.find((operation) => operation.name === 'ReportStats');
    const response = await services.post(
      { variables: { groupBy: ['STATUS'] }, extensions: { persistedQuery: { version: 1, sha256Hash: stats?.id } } },
      { persona: 'dashboard' },
    );
    expect(response.status).toBe(200);
    expect(response.body?.errors).toBeUndefined();
  });

  it('a dashboard\'s unregistered operation: 400 PERSISTED_QUERY_NOT_ALLOWED, nothing run', async () => {
    await services.token('dashboard');
    services.resetCounters();
    const response = await services.post({ query: UNREGISTERED }, { persona: 'dashboard' });
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(services.counters).toEqual({ executions: 0, resolvers: 0, sql: 0 });
  });

  it('no header or extension a client chooses turns the allow-list off', async () => {
    const response = await services.post(
      { query: UNREGISTERED, extensions: { trustedDocuments: 'off' } },
      { persona: 'dashboard', headers: { 'x-trusted-documents': 'off', 'apollographql-client-name': 'graphiql', 'x-apollo-operation-name': 'ReportStats' } },
    );
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  });

  it('registering through APQ does not put an operation on the allow-list', async () => {
    const response = await services.post(
      { query: UNREGISTERED, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNREGISTERED) } } },
      { persona: 'dashboard' },
    );
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  });

  it('a dashboard cannot introspect (introspection is not registered)', async () => {
    const response = await services.post({ query: '{ __schema { types { name } } }' }, { persona: 'dashboard' });
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  });

  it('people run their own operations', async () => {
    const response = await services.post({ query: UNREGISTERED }, { persona: 'analyst' });
    expect(response.status).toBe(200);
    expect(response.body?.errors).toBeUndefined();
  });
});

describe('TRUSTED_DOCUMENTS=all', () => {
  it('holds people to the allow-list too, but lets them read the schema', async () => {
    await everyone.token('analyst');
    everyone.resetCounters();
    const refused = await everyone.post({ query: UNREGISTERED }, { persona: 'analyst' });
    expect(refused.status).toBe(400);
    expect(errorCodes(refused)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(everyone.counters).toEqual({ executions: 0, resolvers: 0, sql: 0 });
    expect((await everyone.post({ query: STATS_REFORMATTED, variables: { groupBy: ['STATUS'] } }, { persona: 'analyst' })).status).toBe(200);
    expect((await everyone.post({ query: '{ __schema { queryType { name } } }' }, { persona: 'analyst' })).status).toBe(200);
    expect((await everyone.post({ query: '{ __typename me { kind } }' }, { persona: 'analyst' })).status).toBe(400);
  });
});

describe('TRUSTED_DOCUMENTS=off (development)', () => {
  it('lets a dashboard run anything its policy allows', async () => {
    const response = await off.post({ query: UNREGISTERED }, { persona: 'dashboard' });
    expect(response.status).toBe(200);
  });
});

describe('automatic persisted queries', () => {
  it('round trip: miss (PERSISTED_QUERY_NOT_FOUND), register with the text, then the hash alone', async () => {
    const query = `{ me { kind roles } reports(first: 2) { totalCount } }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const miss = await services.post({ extensions }, { persona: 'builder' });
    expect(miss.status).toBe(200);
    expect(errorCodes(miss)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const registered = await services.post({ query, extensions }, { persona: 'builder' });
    expect(registered.status).toBe(200);
    expect(registered.body?.errors).toBeUndefined();
    const hit = await services.post({ extensions }, { persona: 'builder' });
    expect(hit.status).toBe(200);
    expect(hit.body?.data).toEqual(registered.body?.data);
  });

  it('a hash that does not match the text: 400', async () => {
    const response = await services.post(
      { query: '{ me { kind } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { roles } }') } } },
      { persona: 'builder' },
    );
    expect(response.status).toBe(400);
    expect(response.text).toContain('provided sha does not match query');
  });

  it('a document refused by the limits is not stored', async () => {
    const query = `{ ${Array.from({ length: 16 }, (_, index) => `a${index}: me { kind }`).join(' ')} }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    expect((await services.post({ query, extensions }, { persona: 'builder' })).status).toBe(400);
    expect(errorCodes(await services.post({ extensions }, { persona: 'builder' }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
