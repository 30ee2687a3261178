import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PeriodSchema } from '@shop/gen/analytics/v1/analytics_pb';
import { OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { eventually, uniqueName } from '@shop/testkit';
import { events, publish, startAnalyticsHarness, type AnalyticsHarness } from './harness.js';

const day = new Date('2026-11-05T00:00:00Z');
const period = create(PeriodSchema, { startTime: timestampFromDate(day), endTime: timestampFromDate(new Date(day.getTime() + 86_400_000)) });

describe('an event the read model cannot apply', () => {
  let harness: AnalyticsHarness;

  beforeAll(async () => {
    harness = await startAnalyticsHarness('analytics_poison');
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('does not hold back the events delivered with it', async () => {
    const lamp = uniqueName('lamp');
    await events.productCreated(harness.bus, lamp, day, { name: 'Lamp', categoryId: 'lighting', priceMinor: 1000n });
    const customerId = uniqueName('customer');
    const placed = (orderId: string, minutes: number, quantity: number) =>
      events.orderPlaced(harness.bus, orderId, new Date(day.getTime() + minutes * 60_000), { customerId, items: [{ productId: lamp, quantity }], totalMinor: 1000n * BigInt(quantity) });
    await placed(uniqueName('before'), 10, 1);
    await publish(harness.bus, 'orders', OrderPlacedSchema, { orderId: uniqueName('poison'), version: 1n, occurTime: { seconds: 10n ** 13n, nanos: 0 }, customerId, items: [{ productId: lamp, quantity: 7 }] });
    await placed(uniqueName('after'), 11, 2);
    await eventually(
      async () => {
        const { rows } = await harness.client.getRevenueByCategory({ period });
        expect(rows.map((row) => [row.categoryId, row.units, row.orders])).toEqual([['lighting', 3n, 2n]]);
        return true;
      },
      { description: 'both good orders applied around the poison one', timeoutMs: 20_000 },
    );
  });
});
