/**
 * Tracing helpers that need only @opentelemetry/api, safe for domain code: without a started SDK every call is a
 * no-op that still runs the wrapped function.
 */
import { context, propagation, trace, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';

export type { Attributes, Span } from '@opentelemetry/api';

const tracer = () => trace.getTracer('@shop/runtime');

/**
 * Runs fn in a new span child of the active one (a saga step, a batch): the span ends when fn settles, and a thrown
 * error marks it failed and is rethrown. fn may add attributes to the span it is given (a new state, a retry count).
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failActiveSpan(error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds attributes to the active span, if one is recording (the order id once it is known). */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * The active trace context as a W3C carrier (`traceparent`, and `tracestate` when set), to store with an outbox
 * event; undefined when no span is active or tracing is off.
 */
export function activeTraceContext(active: Context = context.active()): Record<string, string> | undefined {
  if (!trace.getSpanContext(active)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a W3C carrier describes (root context when it carries none). */
export function contextFromCarrier(carrier: Readonly<Record<string, string>> | undefined): Context {
  return carrier ? propagation.extract(context.active(), carrier) : context.active();
}

/** Marks the active span failed with the error, when a caller handles the error itself. */
export function failActiveSpan(error: unknown): void {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, error);
}

/** Records the error on the span and marks it failed. */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
