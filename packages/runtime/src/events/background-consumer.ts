import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Logger } from 'pino';
import { connectEventBus, type EventBus } from './bus.js';
import type { EventConsumer } from './consumer.js';

/** Options of consumeInBackground. */
export interface BackgroundConsumerOptions {
  readonly natsUrl: string;
  readonly namespace: string;
  /** The connection's name on the server: the consuming service. */
  readonly name: string;
  readonly logger: Logger;
  /** Starts the consumer once the bus answers. */
  readonly start: (bus: EventBus) => Promise<EventConsumer>;
}

/** A consumer connecting in the background. */
export interface BackgroundConsumer {
  /** Stops connecting or consuming and closes the bus connection. */
  close(): Promise<void>;
}

/**
 * Connects to the bus in the background, retrying until it answers, then starts the consumer. The service serves
 * meanwhile; the durable consumer delivers what was published in the meantime once it runs.
 */
export function consumeInBackground(options: BackgroundConsumerOptions): BackgroundConsumer {
  const { logger } = options;
  const abort = new AbortController();
  let running: { bus: EventBus; consumer: EventConsumer } | undefined;
  const connecting = retry(handleAll, { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ExponentialBackoff({ maxDelay: 5000 }) }).dangerouslyUnref();
  connecting.onRetry(({ delay }) => logger.warn({ retryInMs: delay }, 'event bus unreachable; events are consumed once it answers'));
  const started = connecting.execute(({ signal }) => connectAndStart(options, signal), abort.signal).then(
    async (connected) => {
      if (!abort.signal.aborted) return void (running = connected);
      await connected.consumer.stop();
      await connected.bus.close();
    },
    () => undefined,
  );
  return {
    close: async () => {
      abort.abort();
      await started;
      await running?.consumer.stop();
      await running?.bus.close();
    },
  };
}

async function connectAndStart(options: BackgroundConsumerOptions, signal: AbortSignal): Promise<{ bus: EventBus; consumer: EventConsumer }> {
  if (signal.aborted) throw new Error('event consumption stopped');
  const bus = await connectEventBus(options.natsUrl, options.name, options.namespace);
  try {
    return { bus, consumer: await options.start(bus) };
  } catch (error) {
    await bus.close();
    throw error;
  }
}
