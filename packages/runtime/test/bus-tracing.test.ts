import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { eventually, testStores } from '@shop/testkit';
import {
  activeTraceContext,
  connectEventBus,
  ensureEventStream,
  eventStreamOf,
  inSpan,
  publishEvent,
  startEventConsumer,
  traceFields,
  tracedBatch,
  type DeliveredEvent,
  type EventBus,
  type EventConsumer,
} from '../src/index.js';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const finished = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);

describe('trace context across the event bus (real NATS)', () => {
  let bus: EventBus;
  const namespace = `trace_${randomUUID().slice(0, 8)}`;
  const source = 'tracer';
  const subject = () => `${namespace}.events.${source}.Happened`;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    provider.register();
    bus = await connectEventBus(testStores().natsUrl, 'bus-tracing-test', namespace);
    await ensureEventStream(bus, source);
  });
  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await bus?.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('has no trace context to record outside a span', () => {
    expect(activeTraceContext()).toBeUndefined();
  });

  it("publishes in a producer span under the writer's span, with traceparent in the headers, and the consumer's span continues it", async () => {
    const seen: Array<{ event: DeliveredEvent; traceId?: string; spanId?: string; log: Record<string, unknown> }> = [];
    const lines: string[] = [];
    const logger = pino({ mixin: traceFields }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    consumers.push(
      await startEventConsumer({
        bus,
        source,
        durable: 'trace-follower',
        logger,
        handle: async (event) => {
          logger.info('handling');
          const active = trace.getActiveSpan()?.spanContext();
          seen.push({ event, traceId: active?.traceId, spanId: active?.spanId, log: JSON.parse(lines.at(-1)!) as Record<string, unknown> });
        },
      }),
    );
    const id = randomUUID();
    const recorded = await inSpan('checkout', { 'order.id': 'order-1' }, async () => activeTraceContext());
    expect(recorded?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await publishEvent(bus, { id, subject: subject(), type: 'test.Happened', payload: new Uint8Array([1]), ...(recorded ? { traceContext: recorded } : {}) });

    const delivery = await eventually(() => seen.find((entry) => entry.event.id === id), { description: 'the event is consumed' });
    const [checkout] = finished('checkout');
    const [publish] = finished(`send ${subject()}`);
    const consume = await eventually(() => finished(`process ${subject()}`)[0], { description: 'the consumer span ends' });
    expect(publish).toMatchObject({ kind: SpanKind.PRODUCER });
    expect(publish!.spanContext().traceId).toBe(checkout!.spanContext().traceId);
    expect(parentOf(publish!)).toBe(checkout!.spanContext().spanId);
    expect(consume).toMatchObject({ kind: SpanKind.CONSUMER, attributes: expect.objectContaining({ 'messaging.message.id': id, 'messaging.system': 'nats' }) });
    expect(consume.spanContext().traceId).toBe(checkout!.spanContext().traceId);
    expect(parentOf(consume)).toBe(publish!.spanContext().spanId);
    expect(delivery).toMatchObject({ traceId: checkout!.spanContext().traceId, spanId: consume.spanContext().spanId });
    expect(delivery.log).toMatchObject({ trace_id: checkout!.spanContext().traceId, span_id: consume.spanContext().spanId });
  });

  it('marks a failed handling in its span and shows the redelivery as a second consumer span of the same trace', async () => {
    const id = randomUUID();
    let attempts = 0;
    consumers.push(
      await startEventConsumer({
        bus,
        source,
        durable: 'trace-retrier',
        logger: pino({ level: 'silent' }),
        handle: async (event) => {
          if (event.id !== id) return;
          attempts += 1;
          if (attempts === 1) throw new Error('store down');
        },
      }),
    );
    const recorded = await inSpan('write', {}, async () => activeTraceContext());
    await publishEvent(bus, { id, subject: subject(), type: 'test.Happened', payload: new Uint8Array([2]), traceContext: recorded! });
    const attemptsSeen = await eventually(
      () => {
        const spans = finished(`process ${subject()}`).filter((span) => span.attributes['messaging.message.id'] === id && span.attributes['messaging.consumer.group.name'] === 'trace-retrier');
        return spans.length >= 2 ? spans : undefined;
      },
      { description: 'the event is handled twice' },
    );
    const byDelivery = [...attemptsSeen].sort((a, b) => Number(a.attributes['messaging.nats.delivery_count']) - Number(b.attributes['messaging.nats.delivery_count']));
    expect(byDelivery.map((span) => [span.attributes['messaging.nats.delivery_count'], span.status.code])).toEqual([
      [1, SpanStatusCode.ERROR],
      [2, SpanStatusCode.UNSET],
    ]);
    expect(new Set(byDelivery.map((span) => span.spanContext().traceId))).toEqual(new Set([recorded!.traceparent!.split('-')[1]]));
  });

  it('starts a new trace for a batch, linked to the trace of every message in it', async () => {
    const carriers = await Promise.all(['a', 'b'].map((name) => inSpan(name, {}, async () => activeTraceContext()!)));
    const batchHeaders: MsgHdrs[] = carriers.map((carrier) => {
      const h = natsHeaders();
      h.set('traceparent', carrier.traceparent!);
      return h;
    });
    const batchTrace = await inSpan('outer', {}, () => tracedBatch('apply batch', batchHeaders, async (span) => span.spanContext().traceId));
    const [batch] = finished('apply batch');
    expect(batch!.spanContext().traceId).toBe(batchTrace);
    expect(batch!.links.map((link) => link.context.traceId).sort()).toEqual(carriers.map((carrier) => carrier.traceparent!.split('-')[1]).sort());
    expect(carriers.map((carrier) => carrier.traceparent!.split('-')[1])).not.toContain(batchTrace);
    expect(parentOf(batch!)).toBeUndefined();
  });

  it('publishes an event recorded without a trace context in a root producer span', async () => {
    const id = randomUUID();
    await publishEvent(bus, { id, subject: subject(), type: 'test.Happened', payload: new Uint8Array([3]) });
    const [publish] = finished(`send ${subject()}`).filter((span) => span.attributes['messaging.message.id'] === id);
    expect(parentOf(publish!)).toBeUndefined();
    expect(eventStreamOf(bus, source).subjects[0]).toBe(`${namespace}.events.${source}.>`);
  });
});
