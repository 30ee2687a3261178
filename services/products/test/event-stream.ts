import { jetstreamManager } from '@nats-io/jetstream';
import { eventStreamOf, eventTypeHeader, type EventBus } from '@shop/runtime';
import { eventually } from '@shop/testkit';

/** One message read back from the products event stream. */
export interface StreamedEvent {
  readonly id: string;
  readonly type: string;
  readonly payload: Uint8Array;
}

/** Waits until the products stream holds at least `expected` messages, then reads every message with an ordered consumer. */
export async function readProductEvents(bus: EventBus, expected: number): Promise<StreamedEvent[]> {
  const jsm = await jetstreamManager(bus.nc);
  const stream = eventStreamOf(bus, 'products').name;
  const count = async () => (await jsm.streams.info(stream).catch(() => undefined))?.state.messages ?? 0;
  await eventually(async () => (await count()) >= expected, { description: `the stream holding ${expected} events` });
  const consumer = await bus.js.consumers.get(stream);
  const messages = await consumer.fetch({ max_messages: (await count()) + 1, expires: 1500 });
  const events: StreamedEvent[] = [];
  for await (const message of messages) {
    events.push({ id: message.headers?.get('Nats-Msg-Id') ?? '', type: message.headers?.get(eventTypeHeader) ?? '', payload: message.data });
  }
  return events;
}
