import { eventStreamOf, eventTypeHeader, type EventBus, type Logger } from '@shop/runtime';
import { systemMap } from '@shop/system-map';
import { failedPrecondition } from '@shop/runtime/errors';
import type { ReadModelWriter } from '../../domain/ports.js';
import { readModelHandler } from './read-model-handler.js';

/** Progress of a replay: events read so far out of those the streams held when it started. */
export type ReplayProgress = (read: number, total: number) => void;

/**
 * Rebuilds the read model into an empty store from the bus's retained history: one fresh ordered consumer from the
 * start of each stream analytics reads, up to the last message the stream held when the replay began. Answers the
 * number of events read.
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
    const messages = await consumer.consume({ max_messages: 256 });
    for await (const message of messages) {
      await handle({
        subject: message.subject,
        type: message.headers?.get(eventTypeHeader) ?? '',
        id: message.headers?.get('Nats-Msg-Id') ?? `${stream.name}:${message.seq}`,
        payload: message.data,
        deliveryCount: 1,
      });
      progress(++read, total);
      if (message.seq >= stream.lastSeq) break;
    }
    await messages.close();
  }
  return read;
}
