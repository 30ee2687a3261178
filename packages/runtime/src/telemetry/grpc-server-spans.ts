import { context, propagation, trace, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Attributes, type Context, type Span, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';

const metadataGetter: TextMapGetter<Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => metadata.get(key).map(String),
};

/** The SERVER span of one served call and the trace context its handler runs in. */
export interface ServerSpan {
  readonly span: Span;
  readonly context: Context;
}

/**
 * The SERVER spans of one served gRPC method, as @opentelemetry/instrumentation-grpc made them (name
 * `grpc.<service>/<method>`, rpc.system, rpc.service, rpc.method, then rpc.grpc.status_code), with the name and
 * attributes built once for the method rather than on every call.
 */
export class GrpcServerSpans {
  private readonly tracer: Tracer = trace.getTracer('@shop/runtime/grpc');
  private readonly name: string;
  private readonly attributes: Attributes;

  constructor(service: string, method: string) {
    this.name = `grpc.${service}/${method}`;
    this.attributes = { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method };
  }

  /** Starts the span of a call, child of the W3C trace context (traceparent, tracestate, baggage) its metadata carries. */
  start(metadata: Metadata): ServerSpan {
    const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
    const span = this.tracer.startSpan(this.name, { kind: SpanKind.SERVER, attributes: this.attributes }, parent);
    return { span, context: trace.setSpan(parent, span) };
  }
}

/** Runs fn inside the call's trace context, so the spans of the work it does are children of the call's span. */
export function inServerSpan<T>(served: ServerSpan, fn: () => T): T {
  return context.with(served.context, fn);
}

/** Ends a call's span with its gRPC status code; any code but OK marks it failed with the status message. */
export function endServerSpan(served: ServerSpan, code: number, message?: string): void {
  const { span } = served;
  span.setAttribute('rpc.grpc.status_code', code);
  if (code !== 0) span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
  span.end();
}
