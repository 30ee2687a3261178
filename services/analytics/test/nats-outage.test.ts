import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PeriodSchema } from '@shop/gen/analytics/v1/analytics_pb';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import { claimPort, natsAdminUrl, startNats, type NatsStore } from '@shop/local-stack';
import { connectEventBus, createLogger, createServiceClient, ensureEventStream, type EventBus, type RunningServer } from '@shop/runtime';
import { eventually, uniqueName } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startAnalytics } from '../src/main.js';
import { events, freshDuckDbPath } from './harness.js';

const namespace = uniqueName('analytics_outage').replace(/-/g, '_');
const day = new Date('2026-11-03T00:00:00Z');
const period = create(PeriodSchema, { startTime: timestampFromDate(day), endTime: timestampFromDate(new Date(day.getTime() + 86_400_000)) });
let dataDir: string;
let natsPort: number;
let server: RunningServer | undefined;
let nats: NatsStore | undefined;
let bus: EventBus | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'analytics-nats-outage-'));
  natsPort = await claimPort(0, 'nats');
});
afterAll(async () => {
  await bus?.close();
  await server?.shutdown();
  await nats?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the analytics service while NATS is down', () => {
  it('starts and answers its reports, then applies the events published once the bus is up', async () => {
    const env = { ANALYTICS_PORT: '0', ANALYTICS_DUCKDB_PATH: freshDuckDbPath(), NATS_URL: natsAdminUrl(dataDir, natsPort), EVENTS_NAMESPACE: namespace };
    server = await startAnalytics(loadConfig(env), { logger: createLogger('analytics-nats-outage-test', 'silent') });
    const client = createServiceClient(AnalyticsService, { name: 'analytics', address: server.address, defaultTimeoutMs: 10_000 });
    expect((await client.getOrdersByStatus({ period })).counts).toEqual([]);

    nats = await startNats({ dataDir, port: natsPort });
    bus = await connectEventBus(nats.url, 'analytics-nats-outage-test', namespace);
    await Promise.all(['orders', 'products', 'users'].map((source) => ensureEventStream(bus!, source)));
    const product = uniqueName('lamp');
    await events.productCreated(bus, product, day, { name: 'Lamp', categoryId: 'lighting', priceMinor: 1500n });
    await events.orderPlaced(bus, uniqueName('order'), new Date(day.getTime() + 60_000), { customerId: uniqueName('customer'), items: [{ productId: product, quantity: 2 }], totalMinor: 3000n });
    await eventually(
      async () => (await client.getRevenueByCategory({ period })).rows.some((row) => row.categoryId === 'lighting' && row.units === 2n && row.revenue?.amountMinor === 3000n),
      { description: 'the order published after the outage in revenue by category', timeoutMs: 60_000 },
    );
  });
});
