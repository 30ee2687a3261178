import type { Attributes } from '@opentelemetry/api';
import { registerGauge, runtimeMeter } from './metrics.js';

/** A consumer's figures: handling duration and outcome, redeliveries, and its lag (messages not yet acknowledged). */
export interface ConsumerMetrics {
  handled(subject: string, outcome: 'ack' | 'nak', seconds: number, deliveryCount: number): void;
  stop(): void;
}

/** Registers the instruments of one durable consumer; lag() reads the consumer's pending counts from the bus. */
export function consumerMetrics(durable: string, lag: () => Promise<{ pending: number; unacknowledged: number }>): ConsumerMetrics {
  const meter = runtimeMeter();
  const base: Attributes = { 'messaging.system': 'nats', 'messaging.consumer.group.name': durable };
  const duration = meter.createHistogram('messaging.process.duration', { description: 'Time to handle one delivered event', unit: 's' });
  const redeliveries = meter.createCounter('messaging.consumer.redeliveries', { description: 'Deliveries of an event after its first', unit: '{delivery}' });
  const unregister = registerGauge('messaging.consumer.lag', { description: 'Events of the stream the consumer has not acknowledged yet', unit: '{event}' }, async () => {
    const { pending, unacknowledged } = await lag();
    return [
      { value: pending, attributes: { ...base, state: 'pending' } },
      { value: unacknowledged, attributes: { ...base, state: 'unacknowledged' } },
    ];
  });
  return {
    handled: (subject, outcome, seconds, deliveryCount) => {
      duration.record(seconds, { ...base, 'messaging.destination.name': subject, outcome });
      if (deliveryCount > 1) redeliveries.add(1, { ...base, 'messaging.destination.name': subject });
    },
    stop: unregister,
  };
}
