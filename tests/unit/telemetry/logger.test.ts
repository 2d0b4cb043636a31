import { Writable } from 'node:stream';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, redact, type Logger } from '../../../telemetry/logger.ts';

/** A JWT-shaped canary (header.payload.signature); none of its three parts may reach a log. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'canary' })).toString('base64url');
const PAYLOAD = Buffer.from(JSON.stringify({ sub: 'canary-user', aud: 'api://builder-insights' })).toString('base64url');
const SIGNATURE = 'c2lnbmF0dXJlLWNhbmFyeS0xMjM0NTY3ODkw';
const CANARY_JWT = `${HEADER}.${PAYLOAD}.${SIGNATURE}`;
/** An opaque (non-JWT) token: only its position can give it away. */
const OPAQUE = 'opaqueCanary0123456789';

function capture(level = 'debug'): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: createLogger({ level, stream }),
    lines: () => chunks.join('').split('\n').filter((line) => line !== ''),
  };
}

function expectNoCanary(text: string): void {
  for (const part of [CANARY_JWT, PAYLOAD, SIGNATURE, OPAQUE]) expect(text).not.toContain(part);
}

describe('log redaction', () => {
  it('never writes a canary token, wherever it is put', () => {
    const { logger, lines } = capture();
    const withCause = new Error(`verification failed for Bearer ${CANARY_JWT}`, { cause: new Error(CANARY_JWT) });
    logger.info('auth', `Authorization: Bearer ${CANARY_JWT}`);
    logger.info('auth', `token was ${CANARY_JWT} (no prefix)`);
    logger.warn('http', 'headers', { headers: { authorization: `Bearer ${OPAQUE}`, cookie: `session=${OPAQUE}`, 'x-api-key': OPAQUE } });
    logger.warn('http', 'proxy', { headers: { 'Proxy-Authorization': `Basic ${OPAQUE}` } });
    logger.error('auth', 'failed', { error: withCause });
    logger.error('auth', 'nested', { request: { body: { variables: { list: [{ deep: { refresh_token: OPAQUE, note: `Bearer ${OPAQUE}` } }] } } } });
    logger.info('http', 'url', { url: `/callback?code=1&access_token=${OPAQUE}&id_token=${CANARY_JWT}` });
    logger.info('http', 'raw header dump', { raw: `GET / HTTP/1.1\r\nAuthorization: Basic ${OPAQUE}\r\n` });
    logger.info('auth', 'json in a string', { body: JSON.stringify({ authorization: OPAQUE }) });
    logger.info('auth', 'camel case keys', { accessToken: OPAQUE, clientSecret: OPAQUE, idToken: OPAQUE, password: OPAQUE });
    logger.info('auth', 'top-level secret field', { token: OPAQUE, Authorization: `Bearer ${OPAQUE}` });

    const output = lines();
    expect(output).toHaveLength(11);
    expectNoCanary(output.join('\n'));
    // Redacted, not dropped: the lines still say where something was.
    expect(output[0]).toContain('Bearer [redacted]');
    expect(output[1]).toContain('[redacted-jwt]');
    expect(JSON.parse(output[2] as string).headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' });
    expect(JSON.parse(output[4] as string).error.message).toBe('verification failed for Bearer [redacted]');
  });

  it('cuts off values nested deeper than it inspects instead of passing them through', () => {
    let nested: Record<string, unknown> = { note: `Bearer ${OPAQUE}` };
    for (let i = 0; i < 20; i += 1) nested = { inner: nested };
    expectNoCanary(JSON.stringify(redact(nested)));
    const cyclic: Record<string, unknown> = { note: 'x' };
    cyclic.self = cyclic;
    expect(() => JSON.stringify(redact(cyclic))).not.toThrow();
  });

  it('keeps one JSON line per entry when user-controlled values carry CR/LF', () => {
    const { logger, lines } = capture();
    const forged = 'Report\r\n{"level":"info","message":"forged entry","category":"audit"}\n';
    logger.info('http', forged, { operationName: forged, clientName: `web\r\nX-Injected: 1`, nested: { list: [forged] } });
    const output = lines();
    expect(output).toHaveLength(1);
    const entry = JSON.parse(output[0] as string);
    expect(entry.message).toBe(forged);
    expect(entry.operationName).toBe(forged);
    expect(entry.category).toBe('http');
  });

  it('keeps the category and fields it was given', () => {
    const { logger, lines } = capture();
    logger.info('policy', 'decided', { requestId: 'r-1', decision: 'allow', tokenFailures: 2 });
    expect(JSON.parse(lines()[0] as string)).toMatchObject({ level: 'info', message: 'decided', category: 'policy', requestId: 'r-1', decision: 'allow', tokenFailures: 2 });
  });
});

describe('trace ids in log lines', () => {
  beforeAll(() => void context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => context.disable());

  it('adds the active span’s trace and span id', () => {
    const { logger, lines } = capture();
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
    context.with(trace.setSpanContext(context.active(), spanContext), () => logger.info('db', 'in a span'));
    logger.info('db', 'outside');
    const [inSpan, outside] = lines().map((line) => JSON.parse(line));
    expect(inSpan).toMatchObject({ traceId: spanContext.traceId, spanId: spanContext.spanId });
    expect(outside.traceId).toBeUndefined();
  });
});

describe('levels', () => {
  it('writes the logger’s level and above, and does not even read the fields of what it drops', () => {
    const { logger, lines } = capture('warn');
    let reads = 0;
    const fields = {
      get detail() {
        reads += 1;
        return 'read';
      },
    };
    logger.info('http', 'below the level', fields);
    logger.debug('http', 'far below the level', fields);
    expect(reads).toBe(0);
    logger.warn('http', 'at the level', fields);
    logger.error('http', 'above the level');
    expect(reads).toBe(1);
    expect(lines().map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['at the level', 'above the level']);
  });
});
