import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Code, createClient } from '@connectrpc/connect';
import { context, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { eventually, expectConnectError } from '@shop/testkit';
import { bindService, createLogger, createServiceClient, inSpan, startGrpcServer, type RunningServer } from '../src/index.js';
import { grpcJsTransport } from '../src/clients/grpc-js-transport.js';
import { cartFixtureImpl } from './fixtures/cart-fixture-service.js';

const spanExporter = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const metricReader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
const meterProvider = new MeterProvider({ readers: [metricReader] });
const servedName = (method: string) => `grpc.${CartService.typeName}/${method}`;
const finished = (name: string, traceId: string) => spanExporter.getFinishedSpans().filter((span) => span.name === name && span.spanContext().traceId === traceId);

describe('the SERVER span and RPC metrics of each call the shell serves', () => {
  let server: RunningServer;
  /** A client without the tracing interceptor: the test decides which trace context, if any, the call carries. */
  const plainClient = () => createClient(CartService, grpcJsTransport(server.address));

  beforeAll(async () => {
    tracerProvider.register();
    metrics.setGlobalMeterProvider(meterProvider);
    const impl = cartFixtureImpl();
    const traced = { ...impl, getCart: (request: never, handlerContext: never) => inSpan('cart.lookup', {}, () => impl.getCart(request, handlerContext)) };
    server = await startGrpcServer({ services: [bindService(CartService, traced as typeof impl)], logger: createLogger('server-spans', 'silent'), host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.shutdown();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    trace.disable();
    context.disable();
    metrics.disable();
  });

  it('continues the trace of the traceparent the caller sent, with the RPC attributes and status code OK', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const client = plainClient();
    await client.getCart({ userId: 'traced' }, { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
    const [served] = await eventually(async () => (finished(servedName('GetCart'), traceId).length === 1 ? finished(servedName('GetCart'), traceId) : undefined), {
      description: 'the served call\'s span is finished',
    });
    expect(served!.kind).toBe(SpanKind.SERVER);
    expect(served!.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(served!.parentSpanContext?.isRemote).toBe(true);
    expect(served!.attributes).toEqual({ 'rpc.system': 'grpc', 'rpc.service': CartService.typeName, 'rpc.method': 'GetCart', 'rpc.grpc.status_code': 0 });
    expect(served!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("is the parent of the spans the handler starts, and the child of a service client's CLIENT span", async () => {
    const client = createServiceClient(CartService, { name: 'cart', address: server.address });
    const traceId = await inSpan('caller', {}, async (span) => {
      await client.getCart({ userId: 'nested' });
      return span.spanContext().traceId;
    });
    const spans = await eventually(
      async () => {
        const [served] = finished(servedName('GetCart'), traceId);
        const [lookup] = finished('cart.lookup', traceId);
        const [calling] = spanExporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT && span.spanContext().traceId === traceId);
        return served && lookup && calling ? { served, lookup, calling } : undefined;
      },
      { description: 'the client, server and handler spans of one call are finished' },
    );
    const idOf = (span: ReadableSpan) => span.spanContext().spanId;
    expect(spans.served.parentSpanContext?.spanId).toBe(idOf(spans.calling));
    expect(spans.lookup.parentSpanContext?.spanId).toBe(idOf(spans.served));
  });

  it('marks the span failed with the status code and message a failing call answers', async () => {
    const traceId = randomBytes(16).toString('hex');
    const client = plainClient();
    await expectConnectError(client.getCart({ userId: 'missing' }, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } }), Code.NotFound);
    const [served] = await eventually(async () => (finished(servedName('GetCart'), traceId).length === 1 ? finished(servedName('GetCart'), traceId) : undefined), {
      description: 'the failed call\'s span is finished',
    });
    expect(served!.attributes['rpc.grpc.status_code']).toBe(Code.NotFound);
    expect(served!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cart "missing" not found' });
  });

  it('starts a new trace when the caller sent none', async () => {
    const client = plainClient();
    const before = spanExporter.getFinishedSpans().length;
    await client.clearCart({ userId: 'untraced' });
    const served = await eventually(async () => spanExporter.getFinishedSpans().slice(before).find((span) => span.name === servedName('ClearCart')), {
      description: 'the untraced call\'s span is finished',
    });
    expect(served.parentSpanContext).toBeUndefined();
    expect(served.attributes['rpc.method']).toBe('ClearCart');
  });

  it('counts every call in rpc.server.call.duration by method and status code', async () => {
    const client = plainClient();
    await client.removeItem({ userId: 'counted', productId: 'p' });
    await client.removeItem({ userId: 'counted', productId: 'p' });
    await expectConnectError(client.addItem({ userId: 'counted', productId: 'p', quantity: 500 }), Code.InvalidArgument);
    await metricReader.forceFlush();
    const histogram = metricExporter
      .getMetrics()
      .at(-1)!
      .scopeMetrics.flatMap((scope) => scope.metrics)
      .find((metric): metric is HistogramMetricData => metric.descriptor.name === 'rpc.server.call.duration')!;
    const countOf = (method: string, code: string) =>
      histogram.dataPoints.find((point) => point.attributes['rpc.method'] === method && point.attributes['rpc.response.status_code'] === code)?.value.count;
    expect(countOf('RemoveItem', 'OK')).toBe(2);
    expect(countOf('AddItem', 'INVALID_ARGUMENT')).toBe(1);
    expect(histogram.dataPoints.find((point) => point.attributes['rpc.method'] === 'RemoveItem')?.attributes).toEqual({
      'rpc.system.name': 'grpc',
      'rpc.service': CartService.typeName,
      'rpc.method': 'RemoveItem',
      'rpc.response.status_code': 'OK',
    });
  });
});
