import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** trace_id and span_id of the span active when a line is written, so logs join traces; nothing outside a span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span && span.traceId !== '00000000000000000000000000000000' ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/**
 * Structured JSON logger named after the service; LOG_LEVEL is passed in by the service's config. Lines go to stdout
 * through an asynchronous destination (written by libuv, not on the event loop), flushed synchronously on exit.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceFields }, pino.destination({ dest: 1, sync: false }));
}
