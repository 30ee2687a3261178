import { AckPolicy, DeliverPolicy, jetstreamManager, type ConsumerMessages } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { ensureEventStream, eventStreamOf, type EventBus } from './bus.js';
import { consumeInBatches } from './batch-consumption.js';
import { deliveredEventOf, redeliverLater, type DeliveredEvent } from './delivery.js';
import { tracedProcess } from '../telemetry/bus-tracing.js';
import { failActiveSpan } from '../telemetry/tracing.js';
import { consumerMetrics, type ConsumerMetrics } from '../telemetry/consumer-metrics.js';

/** Batch mode of a consumer: the events that have arrived, up to maxEvents, handed over together. */
export interface EventBatching {
  /** The most events in one batch. */
  readonly maxEvents: number;
  /** How long a batch waits after its first event for more to arrive (0: only what has arrived already). */
  readonly lingerMs: number;
  /**
   * Applies the events, all or none; must be idempotent, since delivery is at least once. Each event is acknowledged
   * once this resolves. Throwing retries the events one by one, and one that still fails is redelivered later alone.
   */
  readonly handle: (events: readonly DeliveredEvent[]) => Promise<void>;
}

/** How a consumer applies what it is delivered: one event at a time (handle), or in batches (batch). */
export type EventHandling =
  | {
      /** Applies the event; must be idempotent, since delivery is at least once. Throwing redelivers it later. */
      readonly handle: (event: DeliveredEvent) => Promise<void>;
      readonly batch?: undefined;
    }
  | { readonly batch: EventBatching; readonly handle?: undefined };

/** Options of startEventConsumer. */
export type EventConsumerOptions = EventHandling & {
  readonly bus: EventBus;
  /** The publishing service whose stream is read. */
  readonly source: string;
  /** Durable consumer name: the reading service and purpose, for example "search-indexer". */
  readonly durable: string;
  /** Only these subjects, when given. */
  readonly filterSubjects?: readonly string[];
  readonly logger: Logger;
};

/** A running consumer. */
export interface EventConsumer {
  stop(): Promise<void>;
}

/** The handling part of options that may carry more. */
export function handlingOf(options: EventHandling): EventHandling {
  return options.batch ? { batch: options.batch } : { handle: options.handle };
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
  const messages = await consumer.consume({ max_messages: Math.max(64, options.batch?.maxEvents ?? 0) });
  const metrics = consumerMetrics(options.durable, async () => {
    const info = await jsm.consumers.info(stream, options.durable);
    return { pending: info.num_pending, unacknowledged: info.num_ack_pending };
  });
  const done = options.batch
    ? consumeInBatches(messages, { stream, durable: options.durable, wanted, batching: options.batch, metrics, logger })
    : consumeOneByOne(messages, { stream, durable: options.durable, wanted, handle: options.handle, metrics, logger });
  return {
    stop: async () => {
      metrics.stop();
      await messages.close();
      await done;
    },
  };
}

async function consumeOneByOne(
  messages: ConsumerMessages,
  consumption: { stream: string; durable: string; wanted: ReadonlySet<string> | undefined; handle: (event: DeliveredEvent) => Promise<void>; metrics: ConsumerMetrics; logger: Logger },
): Promise<void> {
  for await (const message of messages) {
    const event = deliveredEventOf(message, consumption.stream);
    if (consumption.wanted && !consumption.wanted.has(event.subject)) {
      message.ack();
      continue;
    }
    const started = performance.now();
    const outcome = await tracedProcess(consumption.durable, event, message.headers, async () => {
      try {
        await consumption.handle(event);
        message.ack();
        return 'ack' as const;
      } catch (error) {
        failActiveSpan(error);
        redeliverLater(message, event, error, consumption.logger);
        return 'nak' as const;
      }
    });
    consumption.metrics.handled(event.subject, outcome, (performance.now() - started) / 1000, event.deliveryCount);
  }
}

/** One subject filters on the server; several are filtered here, since servers before 2.10 take a single filter. */
function serverFilter(subjects: readonly string[] | undefined): { filter_subject?: string } {
  return subjects?.length === 1 ? { filter_subject: subjects[0]! } : {};
}
