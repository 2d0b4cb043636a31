/**
 * Query safety over HTTP (DESIGN §7, SECURITY-CATALOG C): each limit refuses its document with
 * 400 before anything runs — no field resolved, no SQL sent after the context was built — and
 * per-class cost budgets tell analysts, frontends and dashboards apart. Also: introspection for
 * authenticated callers only, no batching, CSRF prevention, no "Did you mean" in production.
 */
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness, type HarnessResponse } from './harness.ts';

let dev: Harness;
let production: Harness;

beforeAll(async () => {
  dev = await startHarness();
  production = await startHarness({ production: true });
});
afterAll(async () => {
  await dev?.close();
  await production?.close();
});

/**
 * Sends `query` as `persona` and checks that nothing ran for it: no field resolved, no SQL after
 * the context, and (unless `coercion`: variables are coerced inside graphql-js's execute, before
 * any field) no execution started.
 */
async function refusedBeforeRunning(
  harness: Harness,
  query: string,
  persona = 'analyst',
  variables?: Record<string, unknown>,
  coercion = false,
): Promise<HarnessResponse> {
  await harness.token(persona);
  harness.resetCounters();
  const response = await harness.post({ query, variables }, { persona });
  expect(harness.counters).toEqual({ executions: coercion ? harness.counters.executions : 0, resolvers: 0, sql: 0 });
  return response;
}

const nested = (field: string, levels: number, leaf: string) => `${`${field} { `.repeat(levels)}${leaf}${' }'.repeat(levels)}`;

describe('shape limits refuse before any resolver or SQL runs', () => {
  it('a normal page of reports runs (the counters see resolvers and SQL)', async () => {
    dev.resetCounters();
    const response = await dev.post({ query: '{ reports(first: 10) { totalCount edges { node { id title author { displayName } } } } }' }, { persona: 'analyst' });
    expect(response.status).toBe(200);
    expect(response.body?.errors).toBeUndefined();
    expect(dev.counters.resolvers).toBeGreaterThan(10);
    expect(dev.counters.sql).toBeGreaterThan(0);
  });

  it('depth 11 through the reporting line: 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const ok = await dev.post({ query: `{ ${nested('person(id: "p-alan")', 1, nested('manager', 8, 'id'))} }` }, { persona: 'analyst' });
    expect(ok.status).toBe(200);
    const response = await refusedBeforeRunning(dev, `{ ${nested('person(id: "p-alan")', 1, nested('manager', 9, 'id'))} }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.body?.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('depth through fragments counts too', async () => {
    const fragments = Array.from({ length: 10 }, (_, index) =>
      index === 9 ? `fragment F${index} on Person { id }` : `fragment F${index} on Person { manager { ...F${index + 1} } }`,
    ).join('\n');
    const response = await refusedBeforeRunning(dev, `{ person(id: "p-alan") { manager { ...F0 } } }\n${fragments}`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('16 aliases (alias-based enumeration): 400', async () => {
    const aliases = Array.from({ length: 16 }, (_, index) => `r${index}: report(id: "${index}") { id }`).join(' ');
    const response = await refusedBeforeRunning(dev, `{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const allowed = Array.from({ length: 15 }, (_, index) => `r${index}: report(id: "${index}") { id }`).join(' ');
    expect((await dev.post({ query: `{ ${allowed} }` }, { persona: 'analyst' })).status).toBe(200);
  });

  it('11 directives: 400', async () => {
    const response = await refusedBeforeRunning(dev, `{ me { ${'kind @include(if: true) '.repeat(11)} } }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('more than 2,000 tokens: 400 GRAPHQL_PARSE_FAILED (the parser stops at the limit)', async () => {
    const response = await refusedBeforeRunning(dev, `{ me { ${'kind '.repeat(2000)} } }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(response.body?.errors?.[0]?.message).toMatch(/tokens/);
  });

  it('cost: over the frontend budget is refused for a frontend and runs for an analyst', async () => {
    // people(first: 100) × (edges 1 + node 1 + three levels of directReports, 10 each: 111) = 11,301:
    // over 10,000 (frontend), under 20,000 (analyst).
    const query = `query($n: Int) { people(first: $n) { edges { node { ${nested('directReports', 3, 'id')} } } } }`;
    const refused = await refusedBeforeRunning(dev, query, 'builder', { n: 100 });
    expect(refused.status).toBe(400);
    expect(errorCodes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refused.body?.errors?.[0]?.message).toMatch(/costs 11301.*10000 for frontend/);
    const smaller = await dev.post({ query, variables: { n: 50 } }, { persona: 'builder' });
    expect(smaller.status).toBe(200);
    const analyst = await dev.post({ query, variables: { n: 100 } }, { persona: 'analyst' });
    expect(analyst.status).toBe(200);
    expect(analyst.body?.errors).toBeUndefined();
  });

  it('production messages do not reveal the limits', async () => {
    const depth = await refusedBeforeRunning(production, `{ ${nested('person(id: "p-alan")', 1, nested('manager', 9, 'id'))} }`);
    expect(depth.status).toBe(400);
    expect(depth.text).not.toMatch(/\b10\b|\b11\b/);
    const cost = await refusedBeforeRunning(production, `{ people(first: 100) { edges { node { ${nested('directReports', 3, 'id')} } } } }`, 'builder');
    expect(cost.status).toBe(400);
    expect(errorCodes(cost)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(cost.text).not.toMatch(/10000|11301/);
  });

  it('circular fragments: 400, no stack overflow', async () => {
    const response = await refusedBeforeRunning(dev, '{ orgUnits { ...A } } fragment A on OrgUnit { children { ...B } } fragment B on OrgUnit { parent { ...A } }');
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.body?.errors?.[0]?.message).toMatch(/Cannot spread fragment "A" within itself/);
  });
});

describe('introspection', () => {
  it('works for an authenticated caller, GraphiQL\'s own query included', async () => {
    const schema = await dev.post({ query: '{ __schema { types { name } } }' }, { persona: 'builder' });
    expect(schema.status).toBe(200);
    expect(JSON.stringify(schema.body?.data)).toContain('"Report"');
    const full = await production.post({ query: getIntrospectionQuery({ inputValueDeprecation: true, specifiedByUrl: true }) }, { persona: 'analyst' });
    expect(full.status).toBe(200);
    expect(full.body?.errors).toBeUndefined();
  });

  it('is refused without a token (401, like every request)', async () => {
    const response = await dev.post({ query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('nested type listings (circular introspection) are refused', async () => {
    const response = await refusedBeforeRunning(dev, '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.body?.errors?.[0]?.message).toBe('Maximum introspection depth exceeded');
  });
});

describe('transport', () => {
  it('batching is off: an array body is 400 "Operation batching disabled."', async () => {
    dev.resetCounters();
    const response = await dev.post([{ query: '{ me { kind } }' }, { query: '{ me { kind } }' }], { persona: 'analyst' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Operation batching disabled.');
    expect(dev.counters.executions).toBe(0);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'CSRF prevention: a simple POST (%s) without a preflight header is refused',
    async (contentType) => {
      dev.resetCounters();
      const response = await dev.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${await dev.token('analyst')}` },
        body: JSON.stringify({ query: '{ me { kind } }' }),
      });
      expect(response.status).toBe(400);
      expect(response.text).toContain('Cross-Site Request Forgery');
      expect(dev.counters.executions).toBe(0);
    },
  );

  it('CSRF prevention: a GET without content-type or preflight header is refused; with the header it runs', async () => {
    const token = await dev.token('analyst');
    const refused = await dev.fetch(`/graphql?query=${encodeURIComponent('{ me { kind } }')}`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Cross-Site Request Forgery');
    const allowed = await dev.fetch(`/graphql?query=${encodeURIComponent('{ me { kind } }')}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(allowed.status).toBe(200);
  });

  it('a mutation over GET is 405 with Allow: POST', async () => {
    const response = await dev.fetch(`/graphql?query=${encodeURIComponent('mutation { submitReport(id: "x") { id } }')}`, {
      headers: { authorization: `Bearer ${await dev.token('builder')}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('field suggestions are absent in production', () => {
  const unknownField = '{ reprt { id } }';
  const variableQuery = 'query($f: ReportFilter!) { reports(filter: $f) { totalCount } }';

  it('the development gateway suggests (so the production checks below can fail)', async () => {
    expect((await dev.post({ query: unknownField }, { persona: 'analyst' })).text).toContain('Did you mean');
    expect((await dev.post({ query: variableQuery, variables: { f: { statuss: [] } } }, { persona: 'analyst' })).text).toContain('Did you mean');
  });

  it('an unknown field: 400, no suggestion', async () => {
    const response = await refusedBeforeRunning(production, unknownField);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.text).not.toMatch(/did you mean|report\b/i);
  });

  it('a variable-coercion error (apollo-server #8086): 400, no suggestion', async () => {
    const response = await refusedBeforeRunning(production, variableQuery, 'analyst', { f: { statuss: [] } }, true);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body?.errors?.[0]?.message).toMatch(/statuss/);
    expect(response.text).not.toMatch(/did you mean|"status"/i);
  });

  it('an enum value in a variable: 400, no suggestion', async () => {
    const response = await refusedBeforeRunning(production, variableQuery, 'analyst', { f: { status: ['PUBLISHD'] } }, true);
    expect(response.status).toBe(400);
    expect(response.text).not.toMatch(/did you mean|PUBLISHED/i);
  });

  it('an unknown argument and an unknown type: no suggestion', async () => {
    for (const query of ['{ reports(frist: 1) { totalCount } }', 'query($f: ReportFiltr) { reports(filter: $f) { totalCount } }', '{ me { knd } }']) {
      const response = await production.post({ query }, { persona: 'analyst' });
      expect(response.status).toBe(400);
      expect(response.text).not.toMatch(/did you mean/i);
    }
  });
});
