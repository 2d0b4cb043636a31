/**
 * Graceful shutdown of the real process (DESIGN §7): at SIGTERM readiness fails at once while
 * /healthz stays 200 and serving continues for SHUTDOWN_DELAY_S; then new connections are
 * refused and requests still arriving get 503, requests in flight complete, the usage rollups
 * are flushed, the pool closes and the process exits 0 within delay + drain + a little. A
 * second signal exits at once.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { allUsageRows } from '../../../db/repositories/usage.ts';
import { personaToken } from '../../support/graphql-client.ts';
import { startGatewayProcess } from '../../support/gateway-process.ts';
import { exitOf, graphql } from './helpers.ts';

const DELAY_S = 2;
const DRAIN_S = 6;
/** Closing resources after the drain (apollo, flush, pool, metrics, tracing): bounded to a few seconds. */
const EPSILON_MS = 4000;

interface SlowRequest {
  readonly request: ClientRequest;
  finish(): void;
  readonly response: Promise<{ status: number; body: string }>;
}

/** A POST whose body arrives in two halves: in flight (reading its body) until `finish()`. */
function slowRequest(url: string, token: string): SlowRequest {
  const body = Buffer.from(JSON.stringify({ query: 'query Me { me { kind person { id } } }' }));
  const half = Math.floor(body.length / 2);
  let request!: ClientRequest;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request = httpRequest(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${token}`, 'apollographql-client-name': 'slow' },
      },
      (reply) => {
        let text = '';
        reply.on('data', (chunk: Buffer) => (text += chunk.toString()));
        reply.on('end', () => resolve({ status: reply.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.write(body.subarray(0, half));
  });
  return { request, response, finish: () => request.end(body.subarray(half)) };
}

/** A connection opened before the drain with part of a request sent; the rest follows later. */
function partialRawRequest(port: number, token: string) {
  const body = JSON.stringify({ query: '{ me { kind } }' });
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.on('error', () => undefined);
  socket.write('POST /graphql HTTP/1.1\r\nHost: gateway\r\n');
  return {
    closed,
    finish: () =>
      socket.write(
        `content-type: application/json\r\nauthorization: Bearer ${token}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`,
      ),
  };
}

describe('graceful shutdown under load (PGlite on disk)', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bi-shutdown-'));
  });
  afterAll(async () => rm(directory, { recursive: true, force: true }));

  it('fails readiness at once, keeps serving through the delay, drains in-flight requests, refuses new ones, flushes usage, exits 0', async () => {
    const dataDir = join(directory, 'pglite');
    const gateway = await startGatewayProcess({
      AUTH_MODE: 'dev',
      PGLITE_DIR: dataDir,
      SHUTDOWN_DELAY_S: String(DELAY_S),
      SHUTDOWN_DRAIN_S: String(DRAIN_S),
      USAGE_FLUSH_INTERVAL_S: '3600',
      KNOWN_CLIENTS: 'slow,fast',
    });
    const port = Number(new URL(gateway.url).port);
    const token = await personaToken(gateway.url, 'builder');
    for (let index = 0; index < 5; index += 1) {
      expect((await graphql(gateway.url, token, 'query Me { me { kind } }', { headers: { 'apollographql-client-name': 'fast' } })).status).toBe(200);
    }
    const inFlight = Array.from({ length: 4 }, () => slowRequest(gateway.url, token));
    const lateArrival = partialRawRequest(port, token);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const exited = exitOf(gateway);
    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 150));

    // The delay: not ready, alive, still serving.
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await graphql(gateway.url, token, 'query Me { me { kind } }', { headers: { 'apollographql-client-name': 'fast' } })).status).toBe(200);

    // After the delay: new connections are refused; a request arriving on an open connection gets 503.
    await new Promise((resolve) => setTimeout(resolve, DELAY_S * 1000 - (Date.now() - signalledAt) + 500));
    const late = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    lateArrival.finish();
    const lateAnswer = await lateArrival.closed;
    expect(lateAnswer).toMatch(/^HTTP\/1\.1 503/);
    expect(lateAnswer.toLowerCase()).toContain('retry-after: 1');
    expect(lateAnswer).toContain('SERVICE_UNAVAILABLE');

    // The requests in flight since before the signal complete normally.
    for (const slow of inFlight) slow.finish();
    const answers = await Promise.all(inFlight.map((slow) => slow.response));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ data: { me: { kind: 'PERSON', person: { id: 'p-alan' } } } });
    }

    const { code } = await exited;
    const tookMs = Date.now() - signalledAt;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan((DELAY_S + DRAIN_S) * 1000 + EPSILON_MS);
    expect(gateway.logs.map((line) => line.message)).toEqual(expect.arrayContaining(['SIGTERM: failing readiness', 'stopped']));
    expect(gateway.logs.some((line) => line.message === 'drain deadline reached; closing remaining connections')).toBe(false);

    // The rollups held in memory were written at shutdown (the flush interval was an hour).
    const database = await openDatabase({ driver: 'pglite', dataDir });
    try {
      const rows = await allUsageRows(database.db);
      const count = (client: string) => rows.filter((row) => row.client === client).reduce((sum, row) => sum + row.requestCount, 0);
      expect(count('fast')).toBe(6);
      expect(count('slow')).toBe(4);
      expect(rows.every((row) => row.operation === 'Me' && row.role === 'builder')).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('exits at once on a second signal', async () => {
    const gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://', SHUTDOWN_DELAY_S: '30' });
    const exited = exitOf(gateway);
    gateway.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = await fetch(`${gateway.url}/readyz`).catch((error: unknown) => {
      throw new Error(`readyz unreachable (exit ${gateway.child.exitCode}): ${JSON.stringify(gateway.logs)}`, { cause: error });
    });
    expect(ready.status).toBe(503);
    const second = Date.now();
    gateway.child.kill('SIGTERM');
    const { code } = await exited;
    expect(Date.now() - second).toBeLessThan(2000);
    expect(code).not.toBe(0);
  });
});
