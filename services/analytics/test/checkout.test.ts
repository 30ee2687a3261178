import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Client } from '@connectrpc/connect';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { createServiceClient } from '@shop/runtime';
import { eventually, startShopServices, uniqueName, type ShopServices } from '@shop/testkit';

/** How long a checkout may take to show in the reports; bench/analytics-freshness.ts measures the real figures. */
const freshnessBoundMs = 15_000;

describe('analytics over the running services', () => {
  let shop: ShopServices;
  let analytics: Client<typeof AnalyticsService>;
  let products: Client<typeof ProductService>;
  let users: Client<typeof UserService>;
  let orders: Client<typeof OrderService>;

  beforeAll(async () => {
    shop = await startShopServices();
    const client = <S extends Parameters<typeof createServiceClient>[0]>(service: S, name: 'analytics' | 'products' | 'users' | 'orders') =>
      createServiceClient(service, { name, address: shop.processes[name].address, defaultTimeoutMs: 15_000 });
    analytics = client(AnalyticsService, 'analytics');
    products = client(ProductService, 'products');
    users = client(UserService, 'users');
    orders = client(OrderService, 'orders');
  }, 180_000);
  afterAll(async () => {
    await shop?.stop();
  });

  it('shows a checkout in revenue by category within the freshness bound, and a later rename only as the current name', async () => {
    const category = uniqueName('cat').toLowerCase();
    const { product } = await products.createProduct({ sku: uniqueName('sku'), name: 'Quokka Lamp', description: 'A lamp', categoryId: category, price: { amountMinor: 1999n, currencyCode: 'EUR' }, stock: 10 });
    const { user } = await users.createUser({ email: `${uniqueName('ana')}@example.com`, displayName: 'Ana', address: { line1: '1 Street' } });
    const start = new Date(Date.now() - 60_000);
    const { order } = await orders.createOrder({ idempotencyKey: uniqueName('key'), customerId: user!.id, items: [{ productId: product!.id, quantity: 3 }], shippingAddress: { line1: '1 Street', line2: '', line3: 'Town' } });
    expect(order?.status).toBe(OrderStatus.CONFIRMED);
    const period = { startTime: timestampFromDate(start), endTime: timestampFromDate(new Date(Date.now() + 3_600_000)) };
    await eventually(
      async () => {
        const { rows } = await analytics.getRevenueByCategory({ period, pageSize: 500 });
        const row = rows.find((candidate) => candidate.categoryId === category);
        return row?.units === 3n && row.revenue?.amountMinor === 5997n && row.revenue.currencyCode === 'EUR';
      },
      { description: 'the checkout in revenue by category', timeoutMs: freshnessBoundMs },
    );
    await products.updateProduct({ product: { id: product!.id, name: 'Quokka Desk Lamp' }, updateMask: { paths: ['name'] } });
    await eventually(
      async () => {
        const { products: top } = await analytics.listTopProducts({ period, pageSize: 100 });
        const sold = top.find((candidate) => candidate.productId === product!.id);
        return sold?.currentName === 'Quokka Desk Lamp' && sold.orderTimeNames.join() === 'Quokka Lamp';
      },
      { description: 'the rename as the current name only', timeoutMs: freshnessBoundMs },
    );
    const { cohorts } = await analytics.getCohortOrderValues({ period, pageSize: 500 });
    expect(cohorts.some((cohort) => cohort.sampleCustomers.some((customer) => customer.customerId === user!.id && customer.currentName === 'Ana'))).toBe(true);
  });
});
