import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import { OrderConfirmedSchema, OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import { ProductCreatedSchema } from '@shop/gen/product/v1/product_events_pb';
import { natsServiceUrl, startNats } from '@shop/local-stack';
import { connectEventBus, createServiceClient, ensureEventStream, eventSubject, publishEvent, type EventBus } from '@shop/runtime';
import type { RunnerReply, RunnerRequest } from './support/analytics-runner.js';

const usage = `Analytics apply cost: CPU of the analytics process per event it applies, through the real consumer path
(its own nats-server, the durable JetStream consumers, a DuckDB file). The service runs in a child process whose
process.cpuUsage() is read before and after each phase; the publishing happens in this process.

Phases (each on its own UTC day, so their reports do not mix):
  backlog  all events published as fast as they are acknowledged (a catch-up, like the demo data at first start)
  paced    events published at --rate per second (like checkouts arriving)
Each phase publishes --products ProductCreated, then --orders OrderPlaced + OrderConfirmed (2 lines each), and ends
when GetOrdersByStatus counts every order CONFIRMED and revenue by category counts every unit (polled every 0.5 s;
the CPU of those polls, measured after the phase, is subtracted).

Usage: ./scripts/node.sh --import tsx services/analytics/bench/apply-cost.ts [--products n] [--orders n] [--rate n]`;

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '300' },
    orders: { type: 'string', default: '300' },
    rate: { type: 'string', default: '100' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const usd = { amountMinor: 1500n, currencyCode: 'USD' };

async function publish<D extends DescMessage>(bus: EventBus, source: string, schema: D, init: MessageInitShape<D>, id: string): Promise<void> {
  const payload = toBinary(schema, create(schema, { ...init, eventId: id } as MessageInitShape<D>));
  await publishEvent(bus, { id, subject: eventSubject(bus, source, schema), type: schema.typeName, payload });
}

/** The phase's events, in publishing order. */
function phaseEvents(bus: EventBus, phase: string, day: Date, products: number, orders: number): Array<() => Promise<void>> {
  const at = (minutes: number) => timestampFromDate(new Date(day.getTime() + minutes * 60_000));
  const product = (index: number) => `${phase}-product-${index % products}`;
  const created = Array.from({ length: products }, (_, index) => () =>
    publish(bus, 'products', ProductCreatedSchema, { productId: product(index), version: 1n, occurTime: at(0), product: { id: product(index), name: `Lamp ${index}`, categoryId: phase, price: usd, version: 1n } }, `${phase}-created-${index}`),
  );
  const placed = Array.from({ length: orders }, (_, index) => [
    () =>
      publish(
        bus,
        'orders',
        OrderPlacedSchema,
        { orderId: `${phase}-order-${index}`, version: 1n, occurTime: at(10), customerId: 'bench-user', items: [{ productId: product(index), quantity: 1 }, { productId: product(index + 1), quantity: 2 }], total: { ...usd, amountMinor: 4500n } },
        `${phase}-placed-${index}`,
      ),
    () => publish(bus, 'orders', OrderConfirmedSchema, { orderId: `${phase}-order-${index}`, version: 2n, occurTime: at(11), customerId: 'bench-user' }, `${phase}-confirmed-${index}`),
  ]);
  return [...created, ...placed.flat()];
}

async function publishAll(work: Array<() => Promise<void>>, perSecond: number): Promise<void> {
  if (perSecond <= 0) {
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < work.length) await work[next++]!();
    }));
    return;
  }
  const started = performance.now();
  for (const [index, send] of work.entries()) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    void send();
  }
}

function ask(runner: ChildProcess, request: RunnerRequest): Promise<RunnerReply> {
  return new Promise((resolve) => {
    runner.once('message', (reply: RunnerReply) => resolve(reply));
    runner.send(request);
  });
}

async function cpuMs(runner: ChildProcess): Promise<number> {
  const reply = await ask(runner, 'cpu');
  if (!('cpu' in reply)) throw new Error('the runner did not answer its CPU use');
  return (reply.cpu.user + reply.cpu.system) / 1000;
}

async function main(): Promise<void> {
  const products = Number(values.products);
  const orders = Number(values.orders);
  const rate = Number(values.rate);
  const dir = mkdtempSync(join(tmpdir(), 'analytics-apply-cost-'));
  const nats = await startNats({ dataDir: dir, port: 0 });
  const env = { ...process.env, ANALYTICS_PORT: '0', ANALYTICS_DUCKDB_PATH: join(dir, 'analytics.duckdb'), NATS_URL: natsServiceUrl(nats.url, 'analytics'), LOG_LEVEL: 'warn' };
  const runner = fork(join(import.meta.dirname, 'support', 'analytics-runner.ts'), [], { env, execArgv: ['--import', 'tsx'] });
  const bus = await connectEventBus(nats.url, 'analytics-apply-cost');
  try {
    await Promise.all(['orders', 'products', 'users'].map((source) => ensureEventStream(bus, source)));
    const started = await new Promise<RunnerReply>((resolve) => runner.once('message', resolve));
    if (!('address' in started)) throw new Error('the runner did not start');
    const client = createServiceClient(AnalyticsService, { name: 'analytics', address: started.address, defaultTimeoutMs: 10_000 });
    const rows: string[] = [];
    for (const [index, phase] of (['backlog', 'paced'] as const).entries()) {
      const day = new Date(Date.UTC(2026, 10, 10 + index));
      const period = { startTime: timestampFromDate(day), endTime: timestampFromDate(new Date(day.getTime() + 86_400_000)) };
      const applied = async () => {
        const confirmed = (await client.getOrdersByStatus({ period })).counts.find((count) => count.status === OrderStatus.CONFIRMED)?.orders ?? 0n;
        const units = (await client.getRevenueByCategory({ period, pageSize: 100 })).rows.reduce((sum, row) => sum + (row.categoryId === phase ? row.units : 0n), 0n);
        return confirmed === BigInt(orders) && units === BigInt(orders * 3);
      };
      const work = phaseEvents(bus, phase, day, products, orders);
      const cpuBefore = await cpuMs(runner);
      const wallBefore = performance.now();
      await publishAll(work, phase === 'paced' ? rate : 0);
      let polls = 1;
      for (; !(await applied()); polls += 1) await new Promise((resolve) => setTimeout(resolve, 500));
      const wall = performance.now() - wallBefore;
      const cpuAfter = await cpuMs(runner);
      for (let poll = 0; poll < 5; poll += 1) await applied();
      const cpu = cpuAfter - cpuBefore - (polls * ((await cpuMs(runner)) - cpuAfter)) / 5;
      rows.push(`| ${phase}${phase === 'paced' ? ` (${rate}/s)` : ''} | ${work.length} | ${(wall / 1000).toFixed(1)} s | ${cpu.toFixed(0)} ms | ${(cpu / work.length).toFixed(2)} ms |`);
    }
    process.stdout.write(`| phase | events | wall | analytics CPU | CPU per event |\n|---|--:|--:|--:|--:|\n${rows.join('\n')}\n`);
  } finally {
    await bus.close();
    if (runner.connected) await Promise.race([new Promise((resolve) => runner.once('exit', resolve)), ask(runner, 'stop')]);
    runner.kill();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`apply-cost failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
