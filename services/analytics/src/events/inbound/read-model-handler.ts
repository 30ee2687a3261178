import type { DeliveredEvent, Logger } from '@shop/runtime';
import type { ReadModelWriter } from '../../domain/ports.js';
import type { ReadModelFact } from '../../domain/read-model-events.js';
import { factOf } from './event-facts.js';

/**
 * Applies delivered events to the read model in one transaction; an undecodable one is logged and skipped, a store
 * failure fails the whole batch (so none is acknowledged).
 */
export function readModelHandler(writer: ReadModelWriter, logger: Logger): (events: readonly DeliveredEvent[]) => Promise<void> {
  return async (events) => {
    const facts: ReadModelFact[] = [];
    for (const event of events) {
      try {
        const fact = factOf(event);
        if (fact) facts.push(fact);
      } catch (error) {
        logger.error({ err: error, type: event.type, eventId: event.id }, 'skipping an undecodable event');
      }
    }
    const applied = await writer.apply(facts);
    logger.debug({ events: events.length, applied }, 'events applied; the others were seen before or are not read');
  };
}
