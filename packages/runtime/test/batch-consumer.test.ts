import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { eventually, testStores } from '@shop/testkit';
import { activeTraceContext, arrivalBatches, connectEventBus, createLogger, ensureEventStream, inSpan, publishEvent, startEventConsumer, type DeliveredEvent, type EventBus, type EventConsumer } from '../src/index.js';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

async function* arriving(groups: ReadonlyArray<readonly number[]>, gapMs: number): AsyncGenerator<number> {
  for (const [index, group] of groups.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    yield* group;
  }
}

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe('grouping arrivals into batches', () => {
  it('takes what has arrived up to the maximum, and starts a new batch for what comes after the linger', async () => {
    expect(await collect(arrivalBatches(arriving([[1, 2, 3, 4, 5], [6]], 300), 3, 20))).toEqual([[1, 2, 3], [4, 5], [6]]);
  });

  it('waits the linger for items arriving shortly after the first', async () => {
    expect(await collect(arrivalBatches(arriving([[1], [2], [3]], 5), 10, 2_000))).toEqual([[1, 2, 3]]);
  });
});

describe('a consumer in batch mode (real NATS)', () => {
  let bus: EventBus;
  const namespace = `batch_${randomUUID().slice(0, 8)}`;
  const source = 'batcher';
  const subject = `${namespace}.events.${source}.Happened`;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    provider.register();
    bus = await connectEventBus(testStores().natsUrl, 'batch-consumer-test', namespace);
    await ensureEventStream(bus, source);
  });
  afterAll(async () => {
    await consumer?.stop();
    await bus?.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('hands over what has arrived together, acks each event once its batch succeeded, and redelivers an event that cannot be applied alone', async () => {
    const ids = Array.from({ length: 7 }, (_, index) => `${index === 3 ? 'poison' : 'good'}-${randomUUID()}`);
    const poison = ids[3]!;
    const traceIds = new Map<string, string>();
    for (const id of ids) {
      const recorded = await inSpan('write', {}, async () => activeTraceContext()!);
      traceIds.set(id, recorded.traceparent!.split('-')[1]!);
      await publishEvent(bus, { id, subject, type: 'test.Happened', payload: new Uint8Array([1]), traceContext: recorded });
    }
    const attempts: Array<{ ids: string[]; deliveries: number[]; ok: boolean }> = [];
    consumer = await startEventConsumer({
      bus,
      source,
      durable: 'batch-applier',
      logger: createLogger('batch-consumer-test', 'silent'),
      batch: {
        maxEvents: 4,
        lingerMs: 50,
        handle: async (events: readonly DeliveredEvent[]) => {
          const ok = !events.some((event) => event.id === poison);
          attempts.push({ ids: events.map((event) => event.id), deliveries: events.map((event) => event.deliveryCount), ok });
          if (!ok) throw new Error('cannot be applied');
        },
      },
    });
    const applied = () => attempts.filter((attempt) => attempt.ok).flatMap((attempt) => attempt.ids);
    await eventually(() => ids.filter((id) => id !== poison).every((id) => applied().includes(id)), { description: 'every event but the poison one applied', timeoutMs: 20_000 });
    await eventually(() => attempts.some((attempt) => attempt.ids.length === 1 && attempt.ids[0] === poison && attempt.deliveries[0]! >= 2), { description: 'the poison event redelivered alone' });
    expect(attempts.some((attempt) => attempt.ok && attempt.ids.length > 1)).toBe(true);
    expect(attempts.every((attempt) => attempt.ids.length <= 4)).toBe(true);
    expect([...applied()].sort()).toEqual(ids.filter((id) => id !== poison).sort());

    const processSpans = exporter.getFinishedSpans().filter((span) => span.name === `process ${subject}`);
    const batchSpans = new Set(exporter.getFinishedSpans().filter((span) => span.name === 'process batch batch-applier').map((span) => span.spanContext().spanId));
    for (const id of ids) {
      const spans = processSpans.filter((span) => span.attributes['messaging.message.id'] === id);
      const [send] = exporter.getFinishedSpans().filter((span) => span.name === `send ${subject}` && span.attributes['messaging.message.id'] === id);
      expect(spans.length).toBeGreaterThan(0);
      for (const span of spans) {
        expect(span.kind).toBe(SpanKind.CONSUMER);
        expect(span.spanContext().traceId).toBe(traceIds.get(id));
        expect(span.parentSpanContext?.spanId).toBe(send!.spanContext().spanId);
        expect(span.links.every((link) => batchSpans.has(link.context.spanId))).toBe(true);
      }
      expect(spans.some((span) => span.status.code === SpanStatusCode.ERROR)).toBe(id === poison);
    }
  });
});
