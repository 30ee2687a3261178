import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Link, type Span, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';
import { contextFromCarrier } from './tracing.js';

const tracer = () => trace.getTracer('@shop/runtime/events');

const headerSetter: TextMapSetter<MsgHdrs> = { set: (headers, key, value) => headers.set(key, value) };
const headerGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (headers) => headers?.keys() ?? [],
  get: (headers, key) => (headers?.has(key) ? headers.get(key) : undefined),
};

/** What a publish or process span describes. */
export interface BusMessage {
  readonly subject: string;
  readonly id: string;
}

const messagingAttributes = (message: BusMessage, operation: 'send' | 'process') => ({
  'messaging.system': 'nats',
  'messaging.destination.name': message.subject,
  'messaging.message.id': message.id,
  'messaging.operation.type': operation,
});

async function inBusSpan<T>(name: string, kind: SpanKind, attributes: Record<string, string | number>, parent: Context, links: Link[], fn: (span: Span) => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, { kind, attributes, links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Publishes inside a PRODUCER span whose parent is the context the outbox recorded (the transaction that wrote
 * the event), and writes that span's W3C context (traceparent, tracestate) into the message headers.
 */
export function tracedPublish<T>(message: BusMessage, recorded: Readonly<Record<string, string>> | undefined, headers: MsgHdrs, publish: () => Promise<T>): Promise<T> {
  return inBusSpan(`send ${message.subject}`, SpanKind.PRODUCER, messagingAttributes(message, 'send'), contextFromCarrier(recorded), [], () => {
    propagation.inject(context.active(), headers, headerSetter);
    return publish();
  });
}

/** The context the publisher wrote into a message's headers. */
export function publishedContext(headers: MsgHdrs | undefined): Context {
  return propagation.extract(context.active(), headers, headerGetter);
}

const processAttributes = (durable: string, message: BusMessage & { deliveryCount: number }) => ({
  ...messagingAttributes(message, 'process'),
  'messaging.consumer.group.name': durable,
  'messaging.nats.delivery_count': message.deliveryCount,
});

/** Runs a durable consumer's handling of one message in a CONSUMER span continuing the publisher's trace. */
export function tracedProcess<T>(durable: string, message: BusMessage & { deliveryCount: number }, headers: MsgHdrs | undefined, handle: () => Promise<T>): Promise<T> {
  return inBusSpan(`process ${message.subject}`, SpanKind.CONSUMER, processAttributes(durable, message), publishedContext(headers), [], handle);
}

/**
 * Starts the CONSUMER span of one message handled as part of a batch: it continues the publisher's trace like
 * tracedProcess, links to the batch's span, and is ended by the caller once the message's outcome is known.
 */
export function startProcessSpan(durable: string, message: BusMessage & { deliveryCount: number }, headers: MsgHdrs | undefined, batch: Span): Span {
  return tracer().startSpan(`process ${message.subject}`, { kind: SpanKind.CONSUMER, attributes: processAttributes(durable, message), links: [{ context: batch.spanContext() }] }, publishedContext(headers));
}

/**
 * Runs fn in one CONSUMER span for a batch of messages that came from several traces: a new trace linked to
 * every message's published context, for consumers that apply events in bulk.
 */
export function tracedBatch<T>(name: string, headers: ReadonlyArray<MsgHdrs | undefined>, fn: (span: Span) => Promise<T>): Promise<T> {
  const links = headers.map((h) => trace.getSpanContext(publishedContext(h))).filter((linked) => linked !== undefined).map((linked) => ({ context: linked }));
  return inBusSpan(name, SpanKind.CONSUMER, { 'messaging.system': 'nats', 'messaging.batch.message_count': headers.length }, trace.deleteSpan(context.active()), links, fn);
}
