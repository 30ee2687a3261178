import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import { OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { ProductCreatedSchema } from '@shop/gen/product/v1/product_events_pb';
import { UserCreatedSchema } from '@shop/gen/user/v1/user_events_pb';
import { natsServiceUrl, startNats } from '@shop/local-stack';
import { connectEventBus, createServiceClient, ensureEventStream, eventSubject, publishEvent, type EventBus } from '@shop/runtime';
import { startServiceProcess, uniqueName } from '@shop/testkit';
import { percentile } from './support/stats.js';

const USAGE = `Analytics freshness: time from an OrderPlaced event published on the bus until GetOrdersByStatus counts it.
Starts its own nats-server and the compiled analytics service as a process (its own DuckDB file, its own NATS user
with the system map's permissions); needs nothing running but \`npm run -s build\` first.

Usage: node --import tsx bench/analytics-freshness.ts [--orders <n>] [--timeout-ms <n>]
`;

const { values } = parseArgs({
  options: { orders: { type: 'string', default: '200' }, 'timeout-ms': { type: 'string', default: '30000' }, help: { type: 'boolean', short: 'h', default: false } },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

async function publish<D extends DescMessage>(bus: EventBus, source: string, schema: D, init: MessageInitShape<D>): Promise<void> {
  const id = uniqueName('event');
  const payload = toBinary(schema, create(schema, { ...init, eventId: id } as MessageInitShape<D>));
  await publishEvent(bus, { id, subject: eventSubject(bus, source, schema), type: schema.typeName, payload });
}

async function main(): Promise<void> {
  const orders = Number(values.orders);
  const timeoutMs = Number(values['timeout-ms']);
  const dir = mkdtempSync(join(tmpdir(), 'analytics-freshness-'));
  const nats = await startNats({ dataDir: dir, port: 0 });
  const analytics = await startServiceProcess('analytics', { ANALYTICS_PORT: '0', ANALYTICS_DUCKDB_PATH: join(dir, 'analytics.duckdb'), NATS_URL: natsServiceUrl(nats.url, 'analytics') }, 90_000);
  const bus = await connectEventBus(nats.url, 'analytics-freshness');
  const client = createServiceClient(AnalyticsService, { name: 'analytics', address: analytics.address, defaultTimeoutMs: 10_000 });
  try {
    await Promise.all(['orders', 'products', 'users'].map((source) => ensureEventStream(bus, source)));
    const now = new Date();
    const usd = { amountMinor: 1500n, currencyCode: 'USD' };
    await publish(bus, 'products', ProductCreatedSchema, { productId: 'bench-product', version: 1n, occurTime: timestampFromDate(new Date(now.getTime() - 60_000)), product: { id: 'bench-product', name: 'Bench Lamp', categoryId: 'bench', price: usd, version: 1n } });
    await publish(bus, 'users', UserCreatedSchema, { userId: 'bench-user', version: 1n, occurTime: timestampFromDate(now), user: { id: 'bench-user', displayName: 'Bench', version: 1n, createTime: timestampFromDate(now) } });
    const period = { startTime: timestampFromDate(new Date(now.getTime() - 3_600_000)), endTime: timestampFromDate(new Date(now.getTime() + 3_600_000)) };
    const counted = async () => (await client.getOrdersByStatus({ period })).counts.reduce((sum, count) => sum + count.orders, 0n);
    const lags: number[] = [];
    for (let index = 0; index < orders; index += 1) {
      const started = performance.now();
      await publish(bus, 'orders', OrderPlacedSchema, { orderId: `bench-order-${index}`, version: 1n, occurTime: timestampFromDate(new Date()), customerId: 'bench-user', items: [{ productId: 'bench-product', quantity: 1 }], total: usd });
      while ((await counted()) < BigInt(index + 1)) {
        if (performance.now() - started > timeoutMs) throw new Error(`order ${index} not visible within ${timeoutMs} ms`);
      }
      lags.push(performance.now() - started);
    }
    const sorted = [...lags].sort((a, b) => a - b);
    process.stdout.write(`orders: ${orders}\np50: ${percentile(sorted, 50).toFixed(1)} ms\np99: ${percentile(sorted, 99).toFixed(1)} ms\nmax: ${sorted.at(-1)!.toFixed(1)} ms\n`);
  } finally {
    await bus.close();
    await analytics.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`analytics-freshness failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
