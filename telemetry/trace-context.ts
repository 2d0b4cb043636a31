/**
 * The active trace, read through the OpenTelemetry API alone (no SDK import): cheap, and
 * undefined when tracing is off or no span is active.
 */
import { trace } from '@opentelemetry/api';

export function currentTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? context.traceId : undefined;
}

export function currentSpanId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? context.spanId : undefined;
}
