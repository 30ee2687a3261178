import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Logger } from 'pino';
import { connectEventBus, ensureEventStream, type EventBus } from './bus.js';
import { outboxMetrics } from '../telemetry/outbox-metrics.js';
import { startOutboxRelay, type OutboxRelay, type OutboxStore } from './outbox-relay.js';

/** Options of startEventPublishing. */
export interface EventPublishingOptions {
  readonly natsUrl: string;
  /** The publishing service, whose stream is ensured: "products". */
  readonly service: string;
  readonly namespace: string;
  readonly store: OutboxStore;
  readonly logger: Logger;
}

/** The outbox relay, running once the bus is reachable. */
export interface EventPublishing {
  /** Asks the relay for a pass now, for example after a commit. */
  kick(): void;
  /** Stops connecting or relaying and closes the bus connection. */
  close(): Promise<void>;
}

/**
 * Connects to the bus in the background, retrying until it answers, then relays the outbox. The service serves
 * meanwhile: events wait in the outbox, so a bus outage at start delays them and loses none. The backlog gauge is
 * registered at once, so an outage shows as a growing outbox.backlog.
 */
export function startEventPublishing(options: EventPublishingOptions): EventPublishing {
  const { logger } = options;
  const abort = new AbortController();
  let bus: EventBus | undefined;
  let relay: OutboxRelay | undefined;
  const metrics = outboxMetrics(options.store.countUnpublished?.bind(options.store));
  const connecting = retry(handleAll, { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ExponentialBackoff({ maxDelay: 5000 }) }).dangerouslyUnref();
  connecting.onRetry(({ delay }) => logger.warn({ retryInMs: delay }, 'event bus unreachable; events wait in the outbox'));
  void connecting.execute(({ signal }) => connectWithStream(options, signal), abort.signal).then(
    async (connected) => {
      if (abort.signal.aborted) return connected.close();
      bus = connected;
      relay = startOutboxRelay({ store: options.store, bus, logger, metrics });
    },
    () => undefined,
  );
  return {
    kick: () => relay?.kick(),
    close: async () => {
      abort.abort();
      await relay?.stop();
      metrics.stop();
      await bus?.close();
    },
  };
}

async function connectWithStream(options: EventPublishingOptions, signal: AbortSignal): Promise<EventBus> {
  if (signal.aborted) throw new Error('event publishing stopped');
  const bus = await connectEventBus(options.natsUrl, options.service, options.namespace);
  try {
    await ensureEventStream(bus, options.service);
    return bus;
  } catch (error) {
    await bus.close();
    throw error;
  }
}
