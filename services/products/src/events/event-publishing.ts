import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { connectEventBus, ensureEventStream, startOutboxRelay, type EventBus, type OutboxRelay, type OutboxStore } from '@shop/runtime';
import type { Logger } from 'pino';
import { eventSource } from './product-events.js';

/** Options of startEventPublishing. */
export interface EventPublishingOptions {
  readonly natsUrl: string;
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
 * meanwhile: events wait in the outbox, so a bus outage at start delays them and loses none.
 */
export function startEventPublishing(options: EventPublishingOptions): EventPublishing {
  const { logger } = options;
  const abort = new AbortController();
  let relay: OutboxRelay | undefined;
  const connecting = retry(handleAll, { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ExponentialBackoff({ maxDelay: 5000 }) });
  connecting.onRetry(({ delay }) => logger.warn({ retryInMs: delay }, 'event bus unreachable; events wait in the outbox'));
  const started = connecting
    .execute(async ({ signal }) => {
      if (signal.aborted) return undefined;
      const bus = await connectEventBus(options.natsUrl, 'products', options.namespace);
      await ensureEventStream(bus, eventSource).catch(async (error: unknown) => {
        await bus.close();
        throw error;
      });
      return bus;
    }, abort.signal)
    .then(
      (bus) => {
        if (bus) relay = startOutboxRelay({ store: options.store, bus, logger });
        return bus;
      },
      () => undefined,
    );
  return {
    kick: () => relay?.kick(),
    close: async () => {
      abort.abort();
      const bus: EventBus | undefined = await started;
      await relay?.stop();
      await bus?.close();
    },
  };
}
