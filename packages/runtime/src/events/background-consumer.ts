import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Logger } from 'pino';
import { systemMap, type ServiceName } from '@shop/system-map';
import { connectEventBus, eventSubjectOf, type EventBus } from './bus.js';
import { handlingOf, startEventConsumer, type EventConsumer, type EventHandling } from './consumer.js';

/** Options of startBackgroundConsumer: handle applies one event at a time, or batch applies them in batches. */
export type BackgroundConsumerOptions = EventHandling & {
  readonly natsUrl: string;
  readonly namespace: string;
  /** The consuming service; its system-map entry names the durable consumer, the source and the events read. */
  readonly service: ServiceName;
  /** The stream read, when the service consumes more than one. */
  readonly source?: ServiceName;
  readonly logger: Logger;
};

/** A consumer connecting in the background. */
export interface BackgroundConsumer {
  /** Stops connecting or consuming and closes the bus connection. */
  close(): Promise<void>;
}

/** What a service consumes from one source, as the system map declares it. */
export function consumedStream(service: ServiceName, source?: ServiceName): { source: ServiceName; durable: string; events: readonly string[] } {
  const streams = systemMap[service].consumes.filter((stream) => source === undefined || stream.source === source);
  if (streams.length !== 1) throw new Error(`${service} must consume exactly one stream${source ? ` from ${source}` : ''} in the system map, found ${streams.length}`);
  const [stream] = streams;
  return { source: stream!.source as ServiceName, durable: stream!.durable, events: stream!.events };
}

/**
 * Connects to the bus in the background, retrying until it answers, then starts the service's durable consumer named
 * by the system map. The service serves meanwhile; the consumer delivers what was published in the meantime once it runs.
 */
export function startBackgroundConsumer(options: BackgroundConsumerOptions): BackgroundConsumer {
  const { logger } = options;
  const stream = consumedStream(options.service, options.source);
  const abort = new AbortController();
  let running: { bus: EventBus; consumer: EventConsumer } | undefined;
  const connecting = retry(handleAll, { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ExponentialBackoff({ maxDelay: 5000 }) }).dangerouslyUnref();
  connecting.onRetry(({ delay }) => logger.warn({ retryInMs: delay, durable: stream.durable }, 'event bus unreachable; events are consumed once it answers'));
  const started = connecting.execute(({ signal }) => connectAndConsume(options, stream, signal), abort.signal).then(
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

async function connectAndConsume(
  options: BackgroundConsumerOptions,
  stream: ReturnType<typeof consumedStream>,
  signal: AbortSignal,
): Promise<{ bus: EventBus; consumer: EventConsumer }> {
  if (signal.aborted) throw new Error('event consumption stopped');
  const bus = await connectEventBus(options.natsUrl, options.service, options.namespace);
  try {
    const consumer = await startEventConsumer({
      bus,
      source: stream.source,
      durable: stream.durable,
      filterSubjects: stream.events.map((event) => eventSubjectOf(bus, stream.source, event)),
      logger: options.logger,
      ...handlingOf(options),
    });
    return { bus, consumer };
  } catch (error) {
    await bus.close();
    throw error;
  }
}
