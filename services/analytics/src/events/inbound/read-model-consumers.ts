import { eventSubject, startEventConsumer, type DeliveredEvent, type EventBus, type EventConsumer, type Logger } from '@shop/runtime';
import { systemMap } from '@shop/system-map';
import type { ReadModelWriter } from '../../domain/ports.js';
import { consumedSchema, factOf } from './event-facts.js';

/** Applies one delivered event to the read model; an undecodable one is logged and skipped, a store failure redelivers it. */
export function readModelHandler(writer: ReadModelWriter, logger: Logger, onApplied?: (event: DeliveredEvent) => void): (event: DeliveredEvent) => Promise<void> {
  return async (event) => {
    let fact;
    try {
      fact = factOf(event);
    } catch (error) {
      logger.error({ err: error, type: event.type, eventId: event.id }, 'skipping an undecodable event');
      return;
    }
    if (!fact) return;
    const applied = await writer.apply(fact);
    logger.debug({ type: event.type, eventId: event.id, applied }, applied ? 'event applied' : 'event seen before; skipped');
    onApplied?.(event);
  };
}

/** Starts one durable consumer per stream the system map says analytics reads, all feeding the writer. */
export async function consumeReadModelEvents(bus: EventBus, writer: ReadModelWriter, logger: Logger): Promise<EventConsumer> {
  const handle = readModelHandler(writer, logger);
  const consumers: EventConsumer[] = [];
  try {
    for (const stream of systemMap.analytics.consumes) {
      const filterSubjects = stream.events.map((event) => eventSubject(bus, stream.source, consumedSchema(event)));
      consumers.push(await startEventConsumer({ bus, source: stream.source, durable: stream.durable, filterSubjects, logger, handle }));
    }
  } catch (error) {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    throw error;
  }
  return { stop: async () => void (await Promise.all(consumers.map((consumer) => consumer.stop()))) };
}
