import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { ensureEventStream, eventStreamOf, eventTypeHeader, type EventBus } from './bus.js';
import { tracedProcess } from '../telemetry/bus-tracing.js';
import { failActiveSpan } from '../telemetry/tracing.js';
import { consumerMetrics } from '../telemetry/consumer-metrics.js';

/** One delivered event. */
export interface DeliveredEvent {
  readonly subject: string;
  /** Full protobuf type name from the Event-Type header. */
  readonly type: string;
  /** The event id (the publisher's deduplication id). */
  readonly id: string;
  readonly payload: Uint8Array;
  /** How many times the bus has delivered this message, 1 the first time. */
  readonly deliveryCount: number;
}

/** Options of startEventConsumer. */
export interface EventConsumerOptions {
  readonly bus: EventBus;
  /** The publishing service whose stream is read. */
  readonly source: string;
  /** Durable consumer name: the reading service and purpose, for example "search-indexer". */
  readonly durable: string;
  /** Only these subjects, when given. */
  readonly filterSubjects?: readonly string[];
  /** Applies the event; must be idempotent, since delivery is at least once. Throwing redelivers it later. */
  readonly handle: (event: DeliveredEvent) => Promise<void>;
  readonly logger: Logger;
}

/** A running consumer. */
export interface EventConsumer {
  stop(): Promise<void>;
}

/** Consumes a service's events through a durable pull consumer with explicit acks; failures are redelivered with a delay. */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { bus, logger } = options;
  const stream = eventStreamOf(bus, options.source).name;
  const jsm = await jetstreamManager(bus.nc);
  await ensureEventStream(bus, options.source);
  await jsm.consumers.add(stream, {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: 30_000_000_000,
    ...serverFilter(options.filterSubjects),
  });
  const wanted = options.filterSubjects?.length ? new Set(options.filterSubjects) : undefined;
  const consumer = await bus.js.consumers.get(stream, options.durable);
  const messages = await consumer.consume({ max_messages: 64 });
  const metrics = consumerMetrics(options.durable, async () => {
    const info = await jsm.consumers.info(stream, options.durable);
    return { pending: info.num_pending, unacknowledged: info.num_ack_pending };
  });
  const done = (async () => {
    for await (const message of messages) {
      const event: DeliveredEvent = {
        subject: message.subject,
        type: message.headers?.get(eventTypeHeader) ?? '',
        id: message.headers?.get('Nats-Msg-Id') ?? `${stream}:${message.seq}`,
        payload: message.data,
        deliveryCount: message.info.deliveryCount,
      };
      if (wanted && !wanted.has(event.subject)) {
        message.ack();
        continue;
      }
      const started = performance.now();
      const outcome = await tracedProcess(options.durable, event, message.headers, async () => {
        try {
          await options.handle(event);
          message.ack();
          return 'ack' as const;
        } catch (error) {
          failActiveSpan(error);
          logger.warn({ err: error, subject: event.subject, eventId: event.id }, 'event handling failed; will be redelivered');
          message.nak(Math.min(10_000, 200 * event.deliveryCount));
          return 'nak' as const;
        }
      });
      metrics.handled(event.subject, outcome, (performance.now() - started) / 1000, event.deliveryCount);
    }
  })();
  return {
    stop: async () => {
      metrics.stop();
      await messages.close();
      await done;
    },
  };
}

/** One subject filters on the server; several are filtered here, since servers before 2.10 take a single filter. */
function serverFilter(subjects: readonly string[] | undefined): { filter_subject?: string } {
  return subjects?.length === 1 ? { filter_subject: subjects[0]! } : {};
}
