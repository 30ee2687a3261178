import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code } from '@connectrpc/connect';
import { PeriodSchema } from '@shop/gen/analytics/v1/analytics_pb';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import { createLogger } from '@shop/runtime';
import { eventually, expectConnectError, uniqueName } from '@shop/testkit';
import { AnalyticsReports } from '../src/domain/analytics-reports.js';
import { replayHistory } from '../src/events/inbound/history-replay.js';
import { openAnalyticsDatabase } from '../src/storage/duckdb.js';
import { migrateAnalyticsDatabase } from '../src/storage/migrate.js';
import { DuckDbReadModelWriter } from '../src/storage/read-model-writer.js';
import { DuckDbReportQueries } from '../src/storage/report-queries.js';
import { events, freshDuckDbPath, republish, startAnalyticsHarness, type AnalyticsHarness } from './harness.js';

const day = new Date('2026-11-02T00:00:00Z');
const at = (minutes: number) => new Date(day.getTime() + minutes * 60_000);
const period = create(PeriodSchema, { startTime: timestampFromDate(day), endTime: timestampFromDate(new Date(day.getTime() + 86_400_000)) });

describe('the analytics read model', () => {
  let harness: AnalyticsHarness;
  const kettle = uniqueName('kettle');
  const mug = uniqueName('mug');
  const alice = uniqueName('alice');

  beforeAll(async () => {
    harness = await startAnalyticsHarness('analytics');
    await events.productCreated(harness.bus, kettle, at(1), { name: 'Kettle', categoryId: 'kitchen', priceMinor: 2500n });
    await events.productCreated(harness.bus, mug, at(1), { name: 'Mug', categoryId: 'tableware', priceMinor: 700n });
    await events.userCreated(harness.bus, alice, at(2), 'Alice');
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('shows an order in revenue by category and in top products once its event arrives', async () => {
    await events.orderPlaced(harness.bus, 'order-1', at(10), { customerId: alice, items: [{ productId: kettle, quantity: 2 }, { productId: mug, quantity: 3 }], totalMinor: 7100n });
    await events.orderConfirmed(harness.bus, 'order-1', at(11), alice);
    await eventually(
      async () => {
        const { rows } = await harness.client.getRevenueByCategory({ period });
        expect(rows.map((row) => [row.day, row.categoryId, row.revenue?.amountMinor, row.units])).toEqual([
          ['2026-11-02', 'kitchen', 5000n, 2n],
          ['2026-11-02', 'tableware', 2100n, 3n],
        ]);
        return true;
      },
      { description: 'order-1 in revenue by category', timeoutMs: 15_000 },
    );
    const { counts } = await harness.client.getOrdersByStatus({ period });
    expect(counts.map((count) => [count.status, count.orders, count.total?.amountMinor])).toEqual([[OrderStatus.CONFIRMED, 1n, 7100n]]);
  });

  it('keeps the name at order time when a product is renamed, and answers the new one as current', async () => {
    await events.productRenamed(harness.bus, kettle, 3n, at(30), { name: 'Steel Kettle', categoryId: 'kitchen', priceMinor: 2500n });
    await eventually(
      async () => {
        const { products } = await harness.client.listTopProducts({ period, pageSize: 5 });
        expect(products.find((product) => product.productId === kettle)).toMatchObject({ currentName: 'Steel Kettle', orderTimeNames: ['Kettle'], units: 2n });
        return true;
      },
      { description: 'the rename is visible as the current name', timeoutMs: 15_000 },
    );
  });

  it('counts a redelivered event once and ignores an older version arriving after a newer one', async () => {
    const placed = await events.orderPlaced(harness.bus, 'order-2', at(40), { customerId: alice, items: [{ productId: mug, quantity: 1 }], totalMinor: 700n });
    await events.orderConfirmed(harness.bus, 'order-2', at(41), alice);
    await republish(harness.bus, placed);
    await events.productRenamed(harness.bus, mug, 2n, at(35), { name: 'Old Mug', categoryId: 'tableware', priceMinor: 700n });
    await events.orderRejected(harness.bus, 'order-3', 1n, at(45), alice);
    await eventually(
      async () => {
        const rate = await harness.client.getRejectedCheckoutRate({ period });
        expect([rate.checkouts, rate.rejected]).toEqual([3n, 1n]);
        return true;
      },
      { description: 'three checkouts, one rejected', timeoutMs: 15_000 },
    );
    const { rows } = await harness.client.getRevenueByCategory({ period });
    expect(rows.find((row) => row.categoryId === 'tableware')).toMatchObject({ units: 4n, revenue: { amountMinor: 2800n } });
    const { products } = await harness.client.listTopProducts({ period, pageSize: 5 });
    expect(products.find((product) => product.productId === mug)).toMatchObject({ currentName: 'Old Mug', orderTimeNames: ['Mug', 'Old Mug'] });
    const { cohorts } = await harness.client.getCohortOrderValues({ period });
    expect(cohorts).toMatchObject([{ cohort: '2026-11', customers: 1n, orders: 2n, total: { amountMinor: 7800n }, averageOrderValue: { amountMinor: 3900n }, sampleCustomers: [{ customerId: alice, orderTimeName: 'Alice', currentName: 'Alice' }] }]);
  });

  it('gives identical reports after a rebuild into an empty store from the bus history', async () => {
    const database = await openAnalyticsDatabase(freshDuckDbPath());
    try {
      await migrateAnalyticsDatabase(database);
      const progress: number[] = [];
      const read = await replayHistory(harness.bus, new DuckDbReadModelWriter(database), createLogger('rebuild-test', 'silent'), (done) => progress.push(done));
      expect(read).toBeGreaterThanOrEqual(10);
      expect(progress.at(-1)).toBe(read);
      const rebuilt = new AnalyticsReports(new DuckDbReportQueries(database));
      const window = { start: day, end: new Date(day.getTime() + 86_400_000) };
      const live = harness.client;
      expect((await rebuilt.revenueByCategory(window, 0, '')).rows).toEqual((await live.getRevenueByCategory({ period })).rows.map(({ day: d, categoryId, revenue, units, orders }) => ({ day: d, categoryId, revenue: { amountMinor: revenue!.amountMinor, currencyCode: revenue!.currencyCode }, units, orders })));
      expect((await rebuilt.topProducts(window, 10)).map((product) => [product.productId, product.currentName, product.orderTimeNames, product.units])).toEqual(
        (await live.listTopProducts({ period, pageSize: 10 })).products.map((product) => [product.productId, product.currentName, product.orderTimeNames, product.units]),
      );
      expect(await rebuilt.rejectedCheckouts(window)).toEqual({ checkouts: 3n, rejected: 1n });
      await expect(replayHistory(harness.bus, new DuckDbReadModelWriter(database), createLogger('rebuild-test', 'silent'))).rejects.toThrow(/not empty/);
    } finally {
      database.close();
    }
  });

  it('refuses a missing or over-long period and bad page sizes, naming the field', async () => {
    await expectConnectError(harness.client.getOrdersByStatus({}), Code.InvalidArgument, /period\.start_time/);
    const tooLong = create(PeriodSchema, { startTime: timestampFromDate(day), endTime: timestampFromDate(new Date(day.getTime() + 400 * 86_400_000)) });
    await expectConnectError(harness.client.getRejectedCheckoutRate({ period: tooLong }), Code.InvalidArgument, /period\.end_time/);
    await expectConnectError(harness.client.listTopProducts({ period, pageSize: 101 }), Code.InvalidArgument, /page_size/);
    await expectConnectError(harness.client.getRevenueByCategory({ period, pageToken: 'nope' }), Code.InvalidArgument, /page_token/);
  });

  it('pages revenue rows with a token', async () => {
    const first = await harness.client.getRevenueByCategory({ period, pageSize: 1 });
    expect(first.rows).toHaveLength(1);
    const second = await harness.client.getRevenueByCategory({ period, pageSize: 1, pageToken: first.nextPageToken });
    expect(second.rows.map((row) => row.categoryId)).toEqual(['tableware']);
    expect(second.nextPageToken).toBe('');
  });
});
