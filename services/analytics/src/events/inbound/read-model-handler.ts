import type { DeliveredEvent, Logger } from '@shop/runtime';
import type { ReadModelWriter } from '../../domain/ports.js';
import { factOf } from './event-facts.js';

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
