/**
 * Without OTEL_* export settings, tracing does not start: no SDK, no span recorded, and the
 * reason says so. Runs in its own worker: startTracing() is once per process.
 */
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing, tracingFromEnvironment, tracingStatus, withDbSpan } from '../../../telemetry/tracing.ts';

const OTEL_VARIABLES = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
];
const saved = Object.fromEntries(OTEL_VARIABLES.map((name) => [name, process.env[name]]));

function environment(values: Record<string, string>): void {
  for (const name of OTEL_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('tracing from the environment', () => {
  it('is off with no OTEL_* variables, and startTracing() reports it disabled', async () => {
    environment({});
    expect(tracingStatus()).toEqual({ enabled: false, reason: expect.stringContaining('not started') });
    const status = startTracing();
    expect(status).toEqual({ enabled: false, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set' });
    expect(tracingStatus()).toEqual(status);
    // Nothing records: spans are the API's non-recording ones.
    const recording = await withDbSpan('SELECT', async () => trace.getActiveSpan()?.isRecording() ?? false);
    expect(recording).toBe(false);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true, 'OTEL_EXPORTER_OTLP_ENDPOINT is set'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set'],
    [{ OTEL_TRACES_EXPORTER: 'console' }, true, 'OTEL_TRACES_EXPORTER=console'],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false, 'OTEL_TRACES_EXPORTER is none'],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false, 'OTEL_SDK_DISABLED is true'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, false, 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set'],
  ])('%j → enabled %s', (values, enabled, reason) => {
    environment(values);
    expect(tracingFromEnvironment()).toEqual({ enabled, reason });
  });
});
