import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { startProcessSpan, tracedBatch } from '../telemetry/bus-tracing.js';
import type { ConsumerMetrics } from '../telemetry/consumer-metrics.js';
import { failSpan } from '../telemetry/tracing.js';
import { arrivalBatches } from './arrival-batches.js';
import type { EventBatching } from './consumer.js';
import { deliveredEventOf, redeliverLater, type DeliveredEvent } from './delivery.js';

/** What consuming in batches needs besides the messages. */
export interface BatchConsumption {
  readonly stream: string;
  readonly durable: string;
  /** Subjects handled; the others are acknowledged unread. */
  readonly wanted: ReadonlySet<string> | undefined;
  readonly batching: EventBatching;
  readonly metrics: ConsumerMetrics;
  readonly logger: Logger;
}

interface Delivery {
  readonly message: JsMsg;
  readonly event: DeliveredEvent;
}

/**
 * Hands the consumer's messages to batching.handle in batches of what has arrived, acknowledging each message only
 * once its batch succeeded. A failed batch is retried event by event, so an event that cannot be applied is
 * redelivered on its own (with a growing delay) while the others are acknowledged.
 */
export async function consumeInBatches(messages: ConsumerMessages, consumption: BatchConsumption): Promise<void> {
  const { batching, stream, wanted } = consumption;
  for await (const messagesOfBatch of arrivalBatches(messages, batching.maxEvents, batching.lingerMs)) {
    const deliveries: Delivery[] = [];
    for (const message of messagesOfBatch) {
      const event = deliveredEventOf(message, stream);
      if (wanted && !wanted.has(event.subject)) message.ack();
      else deliveries.push({ message, event });
    }
    if (deliveries.length > 0) await handleBatch(deliveries, consumption);
  }
}

async function handleBatch(deliveries: readonly Delivery[], consumption: BatchConsumption): Promise<void> {
  const { batching, durable } = consumption;
  const started = performance.now();
  const events = deliveries.map((delivery) => delivery.event);
  const headers = deliveries.map((delivery) => delivery.message.headers);
  const outcomes = await tracedBatch(`process batch ${durable}`, headers, async (batchSpan) => {
    const spans = deliveries.map(({ event, message }) => startProcessSpan(durable, event, message.headers, batchSpan));
    const settled = await batching.handle(events).then(
      () => events.map((): PromiseSettledResult<void> => ({ status: 'fulfilled', value: undefined })),
      (error: unknown) => (events.length === 1 ? [{ status: 'rejected', reason: error } as const] : eachAlone(events, batching.handle)),
    );
    return settled.map((outcome, index) => ({ outcome, span: spans[index]! }));
  });
  const seconds = (performance.now() - started) / 1000;
  deliveries.forEach(({ message, event }, index) => {
    const { outcome, span } = outcomes[index]!;
    if (outcome.status === 'fulfilled') message.ack();
    else {
      failSpan(span, outcome.reason);
      redeliverLater(message, event, outcome.reason, consumption.logger);
    }
    span.end();
    consumption.metrics.handled(event.subject, outcome.status === 'fulfilled' ? 'ack' : 'nak', seconds, event.deliveryCount);
  });
}

async function eachAlone(events: readonly DeliveredEvent[], handle: EventBatching['handle']): Promise<Array<PromiseSettledResult<void>>> {
  const settled: Array<PromiseSettledResult<void>> = [];
  for (const event of events) {
    settled.push(await handle([event]).then(() => ({ status: 'fulfilled', value: undefined }) as const, (reason: unknown) => ({ status: 'rejected', reason }) as const));
  }
  return settled;
}
