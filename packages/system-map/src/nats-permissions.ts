import { serviceNames, systemMap, type ServiceName } from './system-map.js';
import { sourcesOf } from './derived.js';

/** What one NATS user may publish and subscribe to. */
export interface NatsPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
}

/** The JetStream API prefix the @nats-io/jetstream client requests on. */
const JS_API = '$JS.API';

function subjectPrefix(namespace: string): string {
  return namespace ? `${namespace}.` : '';
}

/** The subjects a service's events are published on: `[<namespace>.]events.<service>.>`. */
export function eventSubjectsOf(name: ServiceName, namespace = ''): string {
  return `${subjectPrefix(namespace)}events.${name}.>`;
}

/** The JetStream stream holding a service's events: `[<NAMESPACE>_]<SERVICE>_EVENTS`. */
export function eventStreamNameOf(name: ServiceName, namespace = ''): string {
  return `${namespace ? `${namespace.toUpperCase().replace(/-/g, '_')}_` : ''}${name.toUpperCase()}_EVENTS`;
}

/** The NATS user a service connects as: its own name. */
export function natsUserOf(name: ServiceName): string {
  return name;
}

/** The variable carrying a service's NATS password, e.g. `ORDERS_NATS_PASSWORD`. */
export function natsPasswordVariable(name: ServiceName): string {
  return `${name.toUpperCase()}_NATS_PASSWORD`;
}

/** The services that use the bus at all: they publish or consume events. */
export function busUsers(): ServiceName[] {
  return serviceNames.filter((name) => systemMap[name].publishes.length > 0 || systemMap[name].consumes.length > 0);
}

/** Looking up and creating a stream (the runtime ensures the stream it publishes to or reads from). */
function streamAccess(stream: string): string[] {
  return [`${JS_API}.STREAM.INFO.${stream}`, `${JS_API}.STREAM.CREATE.${stream}`];
}

/** Creating, reading, pulling from and acknowledging one durable consumer of a stream. */
function consumerAccess(stream: string, durable: string): string[] {
  return [
    `${JS_API}.CONSUMER.CREATE.${stream}.${durable}`,
    `${JS_API}.CONSUMER.CREATE.${stream}.${durable}.>`,
    `${JS_API}.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
    `${JS_API}.CONSUMER.INFO.${stream}.${durable}`,
    `${JS_API}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
}

/**
 * A service's NATS permissions, from the system map: publish its own event subjects and manage its own stream; for
 * each stream it consumes, only its own durable consumers on it; replies on `_INBOX.>` (JetStream API answers,
 * publish acknowledgements and pulled messages all arrive there). Nothing else: no other service's subjects.
 */
export function natsPermissionsOf(name: ServiceName, namespace = ''): NatsPermissions {
  const spec = systemMap[name];
  const publish = [`${JS_API}.INFO`];
  if (spec.publishes.length > 0) publish.push(eventSubjectsOf(name, namespace), ...streamAccess(eventStreamNameOf(name, namespace)));
  for (const source of sourcesOf(name)) publish.push(...streamAccess(eventStreamNameOf(source, namespace)));
  for (const stream of spec.consumes) publish.push(...consumerAccess(eventStreamNameOf(stream.source, namespace), stream.durable));
  return { publish: [...new Set(publish)], subscribe: ['_INBOX.>'] };
}
