import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { DescMessage } from '@bufbuild/protobuf';
import { tracedPublish } from '../telemetry/bus-tracing.js';
import { eventStreamNameOf, eventSubjectsOf, type ServiceName } from '@shop/system-map';

/** A connection to the event bus (NATS JetStream). */
export interface EventBus {
  /** Prefix of every subject and stream name, so separate deployments (or test runs) can share one NATS; often empty. */
  readonly namespace: string;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  close(): Promise<void>;
}

/** The server and credentials of a NATS URL: `nats://user:password@host:port` authenticates as that user. */
export function natsConnectionOptions(url: string): { servers: string; user?: string; pass?: string } {
  const parsed = new URL(url);
  if (!parsed.username) return { servers: url };
  const servers = `${parsed.protocol}//${parsed.host}`;
  return { servers, user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) };
}

/**
 * Connects to NATS with endless reconnects; the name shows up in the server's connection list. Requests (every
 * JetStream publish is one) skip capturing the caller's stack for a later error, which cost an Error per event.
 */
export async function connectEventBus(url: string, name: string, namespace = ''): Promise<EventBus> {
  if (namespace && !/^[A-Za-z0-9_-]+$/.test(namespace)) throw new Error(`event namespace ${JSON.stringify(namespace)} must be letters, digits, _ or -`);
  const nc = await connect({ ...natsConnectionOptions(url), name, maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true });
  return { namespace, nc, js: jetstream(nc), close: () => nc.drain() };
}

function subjectPrefix(bus: Pick<EventBus, 'namespace'>, service: string): string {
  return `${bus.namespace ? `${bus.namespace}.` : ''}events.${service}`;
}

/** The subject an event is published on: `[<namespace>.]events.<service>.<EventName>`. */
export function eventSubject(bus: Pick<EventBus, 'namespace'>, service: string, schema: DescMessage): string {
  return eventSubjectOf(bus, service, schema.name);
}

/** The subject of an event by its message name, as the system map lists it: `[<namespace>.]events.<service>.<name>`. */
export function eventSubjectOf(bus: Pick<EventBus, 'namespace'>, service: string, eventName: string): string {
  return `${subjectPrefix(bus, service)}.${eventName}`;
}

/** The stream holding a service's events: `[<NAMESPACE>_]<SERVICE>_EVENTS` over `[<namespace>.]events.<service>.>`. */
export function eventStreamOf(bus: Pick<EventBus, 'namespace'>, service: string): { name: string; subjects: string[] } {
  const name = service as ServiceName;
  return { name: eventStreamNameOf(name, bus.namespace), subjects: [eventSubjectsOf(name, bus.namespace)] };
}

/** Creates the service's event stream if it does not exist (file storage, 2-minute dedupe window on event ids). */
export async function ensureEventStream(bus: EventBus, service: string): Promise<void> {
  const jsm = await jetstreamManager(bus.nc);
  const { name, subjects } = eventStreamOf(bus, service);
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({ name, subjects, duplicate_window: 120_000_000_000 });
  }
}

/** Header carrying the event's full protobuf type name. */
export const eventTypeHeader = 'Event-Type';

/** An event as published: the outbox event's fields, and the W3C trace context it was recorded in. */
export interface PublishedEvent {
  readonly id: string;
  readonly subject: string;
  readonly type: string;
  readonly payload: Uint8Array;
  readonly traceContext?: Readonly<Record<string, string>>;
}

/**
 * Publishes one event and waits for the bus to acknowledge it; the event id deduplicates republishing. The publish
 * is a span continuing the event's recorded trace, whose context travels in the traceparent/tracestate headers.
 */
export async function publishEvent(bus: EventBus, event: PublishedEvent): Promise<void> {
  const h = headers();
  h.set(eventTypeHeader, event.type);
  await tracedPublish(event, event.traceContext, h, () => bus.js.publish(event.subject, event.payload, { msgID: event.id, headers: h }));
}
