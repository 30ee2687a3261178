import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { createServiceClient } from '@shop/runtime';
import { serviceNames, systemMap } from '@shop/system-map';
import { eventually, startServiceProcess, startShopServices, uniqueName, type ServiceProcess, type ShopServices } from '@shop/testkit';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { OrderState } from '@shop/gen/storefront/v1/storefront_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import { mintDemoToken } from '../src/demo-token.js';
import { startOtlpReceiver, type OtlpReceiver } from '../src/tracing/otlp-receiver.js';
import { readSpans, spansOfTrace } from '../src/tracing/span-file.js';
import { serviceFigures } from '../src/supervision/service-metrics.js';
import type { StoredSpan } from '../src/tracing/stored-span.js';

const secret = 'trace-test-secret-trace-test-secret-01';
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
const telemetryEnv = (endpoint: string, protocol: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_BSP_SCHEDULE_DELAY: '200',
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_EXPORTER_PROMETHEUS_PORT: '0',
});
const metricsUrlOf = (process: ServiceProcess) => /"metricsUrl":"([^"]+)"/.exec(process.output())?.[1];
const dbSystem = (span: StoredSpan) => span.attributes['db.system'] ?? span.attributes['db.system.name'];

describe('one checkout, one trace (services exporting to the local OTLP/HTTP receiver)', () => {
  let dataDir = '';
  let receiver: OtlpReceiver;
  let shop: ShopServices;
  let gateway: ServiceProcess;
  let storefront: Client<typeof StorefrontService>;
  const traceId = randomBytes(16).toString('hex');
  const rootSpanId = randomBytes(8).toString('hex');
  let checkoutSpans: StoredSpan[] = [];
  let orderId = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shop-traces-'));
    receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, dataDir });
    shop = await startShopServices({ env: telemetryEnv(receiver.endpoint, 'http/protobuf'), readyTimeoutMs: 90_000 });
    gateway = await startServiceProcess('gateway', {
      ...telemetryEnv(receiver.endpoint, 'http/json'),
      GATEWAY_GRPC_PORT: '0',
      GATEWAY_HTTP_PORT: '0',
      GATEWAY_JWT_SECRET: secret,
      ...shop.peerAddresses('gateway'),
    }, 90_000);
    const connectUrl = /"url":"(http:[^"]+)","protocol":"connect"/.exec(gateway.output())![1]!;
    storefront = createClient(StorefrontService, createConnectTransport({ baseUrl: connectUrl, httpVersion: '1.1' }));
    const users = createServiceClient(UserService, { name: 'users', address: shop.processes.users.address });
    const products = createServiceClient(ProductService, { name: 'products', address: shop.processes.products.address });
    const { user } = await users.createUser({ email: `${uniqueName('tracer')}@example.com`, displayName: 'Tracer', address: { line1: '1 Street' } });
    const { product } = await products.createProduct({
      sku: uniqueName('sku'),
      name: 'Traced Boot',
      description: 'A boot worth following',
      categoryId: uniqueName('cat').toLowerCase(),
      price: { amountMinor: 4200n, currencyCode: 'EUR' },
      stock: 10,
    });
    const auth = { authorization: `Bearer ${await mintDemoToken(user!.id, secret)}` };
    await storefront.getProductPage({ productId: product!.id });
    await storefront.addCartItem({ productId: product!.id, quantity: 2 }, { headers: auth });
    const { order } = await storefront.checkout(
      { idempotencyKey: uniqueName('key'), shippingAddressLines: ['1 Street'] },
      { headers: { ...auth, traceparent: `00-${traceId}-${rootSpanId}-01` } },
    );
    expect(order?.state).toBe(OrderState.CONFIRMED);
    orderId = order!.id;
    checkoutSpans = await eventually(
      async () => {
        const spans = spansOfTrace(await readSpans(receiver.spansFile), traceId);
        const ids = new Set([rootSpanId, ...spans.map((span) => span.spanId)]);
        const services = new Set(spans.map((span) => span.service));
        const complete = spans.every((span) => ids.has(span.parentSpanId)) && ['gateway', 'orders', 'products', 'users', 'cart'].every((name) => services.has(name));
        return complete ? spans : undefined;
      },
      { description: 'the spans of the checkout from every service, and each one\'s parent, reach the receiver', timeoutMs: 30_000 },
    );
  }, 240_000);

  afterAll(async () => {
    await gateway?.stop();
    await shop?.stop();
    await receiver?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('gets spans from the gateway, orders, products, users and cart, all in the trace the caller started, each under a parent of the trace', () => {
    const ids = new Set(checkoutSpans.map((span) => span.spanId));
    expect(new Set(checkoutSpans.map((span) => span.service))).toEqual(expect.objectContaining(new Set(['gateway', 'orders', 'products', 'users', 'cart'])));
    const orphans = checkoutSpans.filter((span) => !ids.has(span.parentSpanId));
    expect(orphans.map((span) => [span.service, span.kind, span.parentSpanId])).toEqual([['gateway', SERVER, rootSpanId]]);
  });

  it('parents every served call of orders, products, users and cart under the client span of its caller', () => {
    const byId = new Map(checkoutSpans.map((span) => [span.spanId, span]));
    for (const service of ['orders', 'products', 'users', 'cart']) {
      const served = checkoutSpans.filter((span) => span.service === service && span.kind === SERVER);
      expect(served.length).toBeGreaterThan(0);
      for (const span of served) {
        const caller = byId.get(span.parentSpanId)!;
        expect({ kind: caller.kind, method: caller.name }).toEqual({ kind: CLIENT, method: span.name.replace(/^\//, '').replace(/^grpc\./, '') });
        expect(caller.service).not.toBe(service);
      }
    }
  });

  it('has PostgreSQL client spans of orders and users, and MongoDB client spans of products, under their services', () => {
    const byId = new Map(checkoutSpans.map((span) => [span.spanId, span]));
    const storeSpans = (system: string) => checkoutSpans.filter((span) => span.kind === CLIENT && dbSystem(span) === system);
    expect(new Set(storeSpans('postgresql').map((span) => span.service))).toEqual(new Set(['orders', 'users']));
    expect(new Set(storeSpans('mongodb').map((span) => span.service))).toEqual(new Set(['products']));
    for (const span of [...storeSpans('postgresql'), ...storeSpans('mongodb')]) expect(byId.get(span.parentSpanId)?.service).toBe(span.service);
  });

  it("publishes OrderPlaced from the outbox relay in a producer span that cart's OrderPlaced consumer continues", async () => {
    const { consumer, publish } = await eventually(
      async () => {
        const spans = await readSpans(receiver.spansFile);
        const consumed = spans.find((span) => span.service === 'cart' && span.kind === CONSUMER && span.name.endsWith('.events.orders.OrderPlaced'));
        const published = consumed && spans.find((span) => span.spanId === consumed.parentSpanId);
        return published ? { consumer: consumed, publish: published } : undefined;
      },
      { description: "cart's consumer span and the relay's publish span are received", timeoutMs: 30_000 },
    );
    expect(publish).toMatchObject({ service: 'orders', kind: PRODUCER, traceId: consumer.traceId, attributes: expect.objectContaining({ 'messaging.system': 'nats' }) });
  });

  // Needs the orders outbox to record activeTraceContext() with each event (the shared @shop/postgres outbox's trace_context).
  it("joins the relay's publish of OrderPlaced and cart's consumer to the checkout's trace", async () => {
    await eventually(
      async () => {
        const spans = spansOfTrace(await readSpans(receiver.spansFile), traceId);
        return spans.some((span) => span.service === 'cart' && span.kind === CONSUMER) && spans.some((span) => span.service === 'orders' && span.kind === PRODUCER) ? true : undefined;
      },
      { description: 'the bus spans join the checkout trace', timeoutMs: 10_000 },
    );
  });

  it("continues the checkout's trace in the analytics service's OrderPlaced consumer, under the relay's publish", async () => {
    const { consumer, publish } = await eventually(
      async () => {
        const spans = spansOfTrace(await readSpans(receiver.spansFile), traceId);
        const consumed = spans.find((span) => span.service === 'analytics' && span.kind === CONSUMER && span.name.endsWith('.events.orders.OrderPlaced'));
        const published = consumed && spans.find((span) => span.spanId === consumed.parentSpanId);
        return published ? { consumer: consumed, publish: published } : undefined;
      },
      { description: "analytics' consumer span in the checkout trace", timeoutMs: 30_000 },
    );
    expect(publish).toMatchObject({ service: 'orders', kind: PRODUCER, traceId: consumer.traceId });
  });

  it("serves on every service's /metrics the RPC duration histogram, and on every publishing service the outbox backlog gauge", async () => {
    const processes: Record<string, ServiceProcess> = { ...shop.processes, gateway };
    const analytics = createServiceClient(AnalyticsService, { name: 'analytics', address: shop.processes.analytics.address });
    const now = BigInt(Math.floor(Date.now() / 1000));
    await analytics.getOrdersByStatus({ period: { startTime: { seconds: now - 3600n }, endTime: { seconds: now + 60n } } });
    for (const name of serviceNames) {
      const url = metricsUrlOf(processes[name]!);
      expect(url).toBeDefined();
      const text = await (await fetch(url!)).text();
      expect(text).toMatch(/^rpc_server_call_duration(_seconds)?_bucket\{[^}]*rpc_method="[A-Za-z]+"[^}]*\} \d+/m);
      if (systemMap[name].publishes.length > 0) expect(text).toMatch(/^outbox_backlog(_[a-z]+)?\{[^}]*\} \d+/m);
    }
    expect(orderId).not.toBe('');
  });

  it("gives npm run status each service's outbox backlog and consumer lag from its own /metrics", async () => {
    const processes: Record<string, ServiceProcess> = { ...shop.processes, gateway };
    for (const name of serviceNames) {
      const spec = systemMap[name];
      const figures = await eventually(
        async () => {
          const read = await serviceFigures(name, metricsUrlOf(processes[name]!)!);
          const settled = (wanted: boolean, value: string) => (wanted ? /^\d+$/.test(value) : value === '-');
          return settled(spec.publishes.length > 0, read.outboxBacklog) && settled(spec.consumes.length > 0, read.consumerLag) ? read : undefined;
        },
        { description: `${name}'s backlog and lag as numbers`, timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(figures).toBeDefined();
    }
    expect(await serviceFigures('orders', 'http://127.0.0.1:1/metrics')).toEqual({ outboxBacklog: expect.stringMatching(/^no \/metrics/), consumerLag: expect.stringMatching(/^no \/metrics/) });
  });
});
