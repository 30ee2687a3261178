import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { eventually, testStores } from '@shop/testkit';
import { connectEventBus, createLogger, ensureEventStream, eventStreamOf, startOutboxRelay, type EventBus, type OutboxEvent, type OutboxRelay, type OutboxStore } from '../src/index.js';

/** An outbox held in memory, in write order, recording every markPublished call; unpublished() may be held open. */
class RecordingOutbox implements OutboxStore {
  readonly events: OutboxEvent[] = [];
  readonly marked: string[][] = [];
  private readonly published = new Set<string>();
  private held: { started: () => void; gate: Promise<void> } | undefined;

  add(event: OutboxEvent): void {
    this.events.push(event);
  }

  /** Holds the next read open until release is called; reading resolves once that read has begun. */
  holdNextRead(): { reading: Promise<void>; release: () => void } {
    let release!: () => void;
    let started!: () => void;
    const reading = new Promise<void>((resolve) => (started = resolve));
    this.held = { started, gate: new Promise<void>((resolve) => (release = resolve)) };
    return { reading, release };
  }

  async unpublished(limit: number): Promise<OutboxEvent[]> {
    const snapshot = this.events.filter((event) => !this.published.has(event.id)).slice(0, limit);
    const held = this.held;
    this.held = undefined;
    if (held) {
      held.started();
      await held.gate;
    }
    return snapshot;
  }

  async markPublished(ids: readonly string[]): Promise<void> {
    this.marked.push([...ids]);
    for (const id of ids) this.published.add(id);
  }
}

describe('the outbox relay (real NATS)', () => {
  const namespace = `relay_${randomUUID().slice(0, 8)}`;
  const service = 'relayer';
  const subjects = ['Created', 'Changed'].map((name) => `${namespace}.events.${service}.${name}`);
  const logger = createLogger('relay-test', 'silent');
  let bus: EventBus;
  let relay: OutboxRelay | undefined;

  const eventOn = (subject: string, index: number): OutboxEvent => ({ id: randomUUID(), subject, type: 'test.v1.Happened', payload: new TextEncoder().encode(String(index)) });

  async function storedOn(subject: string): Promise<string[]> {
    const jsm = await jetstreamManager(bus.nc);
    const stream = eventStreamOf(bus, service).name;
    const info = await jsm.streams.info(stream);
    const payloads: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(stream, { seq });
      if (message?.subject === subject) payloads.push(new TextDecoder().decode(message.data));
    }
    return payloads;
  }

  beforeAll(async () => {
    bus = await connectEventBus(testStores().natsUrl, 'outbox-relay-test', namespace);
    await ensureEventStream(bus, service);
  });
  afterAll(async () => {
    await relay?.stop();
    await bus?.close();
  });

  it('publishes a pass of events on several subjects, each subject in outbox order, and marks every event published once', async () => {
    const outbox = new RecordingOutbox();
    const written = Array.from({ length: 60 }, (_, index) => eventOn(subjects[index % 2]!, index));
    for (const event of written) outbox.add(event);
    relay = startOutboxRelay({ store: outbox, bus, logger, pollIntervalMs: 50, batchSize: 100 });
    await eventually(() => outbox.marked.flat().length === 60, { description: 'all 60 events marked published', timeoutMs: 20_000 });
    await relay.stop();
    relay = undefined;
    expect(outbox.marked.flat().sort()).toEqual(written.map((event) => event.id).sort());
    for (const [offset, subject] of subjects.entries()) {
      expect(await storedOn(subject)).toEqual(written.filter((_, index) => index % 2 === offset).map((_, index) => String(index * 2 + offset)));
    }
  });

  it('runs another pass at once for an event written and kicked while a pass was reading', async () => {
    const outbox = new RecordingOutbox();
    const { reading, release } = outbox.holdNextRead();
    relay = startOutboxRelay({ store: outbox, bus, logger, pollIntervalMs: 600_000 });
    await reading;
    const late = eventOn(subjects[0]!, 1000);
    outbox.add(late);
    relay.kick();
    release();
    await eventually(() => outbox.marked.flat().includes(late.id), { description: 'the event kicked during a pass is published without waiting for the 10-minute poll', timeoutMs: 10_000 });
  });
});
