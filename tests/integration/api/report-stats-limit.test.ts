/**
 * REPORT_STATS_MAX_BUCKETS: an answer with more buckets than the limit is refused with a clear
 * BAD_USER_INPUT, never truncated; an answer of exactly the limit is served whole. The limit is
 * set from what an unlimited gateway answers on the same demo data, so both sides of the
 * boundary are exercised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { codes, personaClient } from '../../support/graphql-client.ts';

const BY_STATUS = '{ reportStats(groupBy: [STATUS]) { status count } }';
const BY_STATUS_AND_SENSITIVITY = '{ reportStats(groupBy: [STATUS, SENSITIVITY]) { status sensitivity count } }';
const ENV = { AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' };

describe('the reportStats bucket limit', () => {
  let unlimited: GatewayProcess;
  let limited: GatewayProcess | undefined;
  let byStatus: unknown[];

  beforeAll(async () => {
    unlimited = await startGatewayProcess(ENV);
    const answer = await personaClient(unlimited.url).as('director').query(BY_STATUS);
    expect(answer.body.errors).toBeUndefined();
    byStatus = answer.body.data?.reportStats as unknown[];
    const finer = await personaClient(unlimited.url).as('director').query(BY_STATUS_AND_SENSITIVITY);
    // The boundary below needs a finer grouping with more buckets than the coarse one.
    expect((finer.body.data?.reportStats as unknown[]).length).toBeGreaterThan(byStatus.length);
    limited = await startGatewayProcess({ ...ENV, REPORT_STATS_MAX_BUCKETS: String(byStatus.length) });
  });
  afterAll(async () => Promise.all([unlimited?.stop(), limited?.stop()]));

  it('serves an answer of exactly the limit whole', async () => {
    const answer = await personaClient(limited!.url).as('director').query(BY_STATUS);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.reportStats).toEqual(byStatus);
  });

  it('refuses a larger answer with BAD_USER_INPUT that names the limit and how to narrow', async () => {
    const answer = await personaClient(limited!.url).as('director').query(BY_STATUS_AND_SENSITIVITY);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors?.[0]?.message).toContain(`more than ${byStatus.length} buckets`);
    expect(answer.body.errors?.[0]?.message).toContain('filter');
    expect(answer.body.data?.reportStats ?? null).toBeNull();
  });
});
