import { registerGauge, runtimeMeter } from './metrics.js';

/** The relay's figures: backlog (outbox.backlog), relay lag (outbox.relay.lag) and events relayed (outbox.relayed). */
export interface OutboxMetrics {
  /** The relay's pass found this many unpublished events. */
  found(count: number): void;
  /** An event was acknowledged by the bus; recordedAt is when the store wrote it. */
  relayed(recordedAt: Date | undefined): void;
  stop(): void;
}

/** Registers the relay's instruments; countUnpublished, when the store has it, makes the backlog exact. */
export function outboxMetrics(countUnpublished?: () => Promise<number>): OutboxMetrics {
  const meter = runtimeMeter();
  let lastFound = 0;
  const unregister = registerGauge('outbox.backlog', { description: 'Outbox events not yet published to the bus', unit: '{event}' }, async () => [
    { value: countUnpublished ? await countUnpublished().catch(() => lastFound) : lastFound },
  ]);
  const lag = meter.createHistogram('outbox.relay.lag', {
    description: 'Time from an outbox write to the bus acknowledging its event',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] },
  });
  const relayedCount = meter.createCounter('outbox.relayed', { description: 'Outbox events published to the bus', unit: '{event}' });
  return {
    found: (count) => {
      lastFound = count;
    },
    relayed: (recordedAt) => {
      relayedCount.add(1);
      if (recordedAt) lag.record(Math.max(0, (Date.now() - recordedAt.getTime()) / 1000));
    },
    stop: unregister,
  };
}
