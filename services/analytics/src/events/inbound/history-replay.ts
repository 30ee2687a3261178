import { arrivalBatches, deliveredEventOf, eventStreamOf, type EventBus, type Logger } from '@shop/runtime';
import { systemMap } from '@shop/system-map';
import { failedPrecondition } from '@shop/runtime/errors';
import type { ReadModelWriter } from '../../domain/ports.js';
import { readModelHandler } from './read-model-handler.js';

/** Progress of a replay: events read so far out of those the streams held when it started. */
export type ReplayProgress = (read: number, total: number) => void;

/** The most events a replay applies in one transaction. */
const replayBatch = 512;

/**
 * Rebuilds the read model into an empty store from the bus's retained history: one fresh ordered consumer from the
 * start of each stream analytics reads, up to the last message the stream held when the replay began, applied in
 * batches of what has arrived. Answers the number of events read.
 */
export async function replayHistory(bus: EventBus, writer: ReadModelWriter, logger: Logger, progress: ReplayProgress = () => undefined): Promise<number> {
  if (!(await writer.isEmpty())) throw failedPrecondition('the analytics store is not empty; rebuild into a new ANALYTICS_DUCKDB_PATH');
  const streams = await Promise.all(
    systemMap.analytics.consumes.map(async ({ source }) => {
      const name = eventStreamOf(bus, source).name;
      const state = await bus.js.streams.get(name).then((handle) => handle.info()).then((info) => info.state, () => undefined);
      return { name, lastSeq: state?.last_seq ?? 0, messages: state?.messages ?? 0 };
    }),
  );
  const total = streams.reduce((sum, stream) => sum + stream.messages, 0);
  const handle = readModelHandler(writer, logger);
  let read = 0;
  progress(read, total);
  for (const stream of streams) {
    if (stream.messages === 0) continue;
    const consumer = await bus.js.consumers.get(stream.name);
    const messages = await consumer.consume({ max_messages: replayBatch });
    for await (const batch of arrivalBatches(messages, replayBatch, 0)) {
      const held = batch.filter((message) => message.seq <= stream.lastSeq);
      await handle(held.map((message) => deliveredEventOf(message, stream.name)));
      progress((read += held.length), total);
      if (batch.at(-1)!.seq >= stream.lastSeq) break;
    }
    await messages.close();
  }
  return read;
}
