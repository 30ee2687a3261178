import { describe, expect, it } from '@jest/globals';
import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import { defaultResilience } from '@shop/runtime';
import { expectConnectError } from '@shop/testkit';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import { OrderState } from '@shop/gen/storefront/v1/storefront_pb';
import { hang, inMemoryGateway, type DownstreamApis, type InMemoryGateway } from './in-memory-downstream.js';

const eur = (amountMinor: bigint) => ({ amountMinor, currencyCode: 'EUR' });
const product = (id: string, stock = 5, price = 1000n) => ({ id, sku: `sku-${id}`, name: `Live ${id}`, description: '', categoryId: 'boots', price: eur(price), stock, version: 1n });
const hit = (productId: string) => ({ productId, name: `Indexed ${productId}`, categoryId: 'boots', price: eur(900n), highlights: [{ field: 'name', fragments: ['<em>Indexed</em>', productId] }] });
const down = () => {
  throw new ConnectError('connect ECONNREFUSED', Code.Unavailable);
};
const order = (id: string, customerId: string) => ({
  id,
  customerId,
  customerName: 'Alice',
  status: OrderStatus.CONFIRMED,
  items: [{ productId: 'p1', productName: 'Boot at order time', unitPrice: eur(1000n), quantity: 2, lineTotal: eur(2000n) }],
  total: eur(2000n),
  shippingAddress: { line1: '1 Street', line2: '', line3: 'Town' },
});

async function gatewayOver(apis: DownstreamApis, env: Record<string, string> = {}): Promise<InMemoryGateway> {
  return inMemoryGateway(apis, { GATEWAY_OPTIONAL_PART_TIMEOUT_MS: '100', ...env });
}

describe('search composition', () => {
  it('joins the hits with live price and stock from one products batch: one call per dependency', async () => {
    const { storefront, calls } = await gatewayOver({
      search: { searchProducts: () => ({ hits: [hit('p1'), hit('p2')], totalSize: 2n, facets: { categories: [{ categoryId: 'boots', count: 2n }] } }) },
      products: { batchGetProducts: (request) => ({ products: request.ids.filter((id) => id === 'p1').map((id) => product(id, 3, 1200n)), missingIds: ['p2'] }) },
    });
    const answer = await storefront.searchProducts({ query: 'boot' });
    expect(answer.items.map(({ productId, name, price, stock, live }) => ({ productId, name, amount: price?.amountMinor, stock, live }))).toEqual([
      { productId: 'p1', name: 'Live p1', amount: 1200n, stock: 3, live: true },
      { productId: 'p2', name: 'Indexed p2', amount: 900n, stock: 0, live: false },
    ]);
    expect(answer.items[0]?.highlights).toEqual({ name: '<em>Indexed</em> … p1' });
    expect(answer.categories).toMatchObject([{ categoryId: 'boots', count: 2n }]);
    expect(answer.degradation).toMatchObject({ partial: false, missingParts: [] });
    expect(calls.logical()).toEqual({ search: 1, products: 1 });
  });

  it('answers with the indexed values, marked partial naming live_stock, when products fails', async () => {
    const { storefront } = await gatewayOver({ search: { searchProducts: () => ({ hits: [hit('p1')], totalSize: 1n }) }, products: { batchGetProducts: down } });
    const answer = await storefront.searchProducts({ query: 'boot' });
    expect(answer.items[0]).toMatchObject({ productId: 'p1', name: 'Indexed p1', live: false });
    expect(answer.degradation).toMatchObject({ partial: true, missingParts: ['live_stock'] });
  });

  it('leaves out live stock that exceeds its budget instead of waiting for it', async () => {
    const { storefront, calls } = await gatewayOver({
      search: { searchProducts: () => ({ hits: [hit('p1')], totalSize: 1n }) },
      products: { batchGetProducts: (_request, context) => hang(context) },
    });
    const answer = await storefront.searchProducts({ query: 'boot' }, { timeoutMs: 10_000 });
    expect(answer.degradation).toMatchObject({ partial: true, missingParts: ['live_stock'] });
    const budget = calls.deadlines.find((call) => call.call === 'products.batchGetProducts')?.timeoutMs;
    expect(budget).toBeLessThanOrEqual(100);
  });

  it('answers UNAVAILABLE naming search when search is down, after retrying the idempotent call', async () => {
    const { storefront, calls } = await gatewayOver({ search: { searchProducts: down } });
    await expectConnectError(storefront.searchProducts({ query: 'boot' }), Code.Unavailable, 'search unavailable');
    expect(calls.logical()).toEqual({ search: 1 });
    expect(calls.attempts()).toEqual({ search: 1 + defaultResilience.retries });
  });
});

describe('product page composition', () => {
  it('shows the product with up to 8 products search finds related to it, asking search for the hits only', async () => {
    const { storefront, calls } = await gatewayOver({
      products: { getProduct: (request) => ({ product: product(request.id) }) },
      search: { searchProducts: (request) => ({ hits: Array.from({ length: request.pageSize }, (_, index) => `r${index}`).map(hit).filter(() => request.relatedToProductId === 'p1' && request.hitsOnly) }) },
    });
    const page = await storefront.getProductPage({ productId: 'p1' });
    expect(page.product).toMatchObject({ id: 'p1', name: 'Live p1', available: true });
    expect(page.related.map((item) => item.productId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(calls.logical()).toEqual({ products: 1, search: 1 });
  });

  it('asks products and search at once: the product is looked up while the related search is in progress', async () => {
    let searchStarted!: () => void;
    const searching = new Promise<void>((resolve) => (searchStarted = resolve));
    const { storefront } = await gatewayOver({
      products: { getProduct: async (request, context) => ((await Promise.race([searching.then(() => true), hang(context)])) ? { product: product(request.id) } : {}) },
      search: {
        searchProducts: async () => {
          searchStarted();
          return { hits: [hit('r0')] };
        },
      },
    });
    const page = await storefront.getProductPage({ productId: 'p1' }, { timeoutMs: 10_000 });
    expect(page.product?.id).toBe('p1');
    expect(page.related.map((item) => item.productId)).toEqual(['r0']);
  });

  it('answers NOT_FOUND for an unknown product even when search answers', async () => {
    const { storefront } = await gatewayOver({ products: { getProduct: () => ({}) }, search: { searchProducts: () => ({ hits: [hit('r0')] }) } });
    await expectConnectError(storefront.getProductPage({ productId: 'p9' }), Code.NotFound, 'p9');
  });

  it('is partial naming related_products when search is down, and UNAVAILABLE naming products when products is', async () => {
    const withoutSearch = await gatewayOver({ products: { getProduct: (request) => ({ product: product(request.id) }) }, search: { searchProducts: down } });
    const page = await withoutSearch.storefront.getProductPage({ productId: 'p1' });
    expect(page.degradation).toMatchObject({ partial: true, missingParts: ['related_products'] });
    const withoutProducts = await gatewayOver({ products: { getProduct: down }, search: { searchProducts: () => ({}) } });
    await expectConnectError(withoutProducts.storefront.getProductPage({ productId: 'p1' }), Code.Unavailable, 'products unavailable');
    await expectConnectError(withoutProducts.storefront.getProductPage({ productId: '' }), Code.InvalidArgument, 'product_id');
  });
});

describe('cart composition', () => {
  it('adds an item and answers the cart with details and totals from one products batch', async () => {
    const { storefront, calls, as } = await gatewayOver({
      cart: { addItem: (request) => ({ cart: { userId: request.userId, lines: [{ productId: 'p1', quantity: 2 }, { productId: request.productId, quantity: request.quantity }] } }) },
      products: { batchGetProducts: (request) => ({ products: request.ids.map((id, index) => product(id, 5, 1000n + BigInt(index))) }) },
    });
    const { cart, degradation } = await storefront.addCartItem({ productId: 'p2', quantity: 1 }, await as('alice'));
    expect(cart?.lines.map((line) => [line.product?.name, line.quantity, line.lineTotal?.amountMinor])).toEqual([
      ['Live p1', 2, 2000n],
      ['Live p2', 1, 1001n],
    ]);
    expect(cart).toMatchObject({ total: { amountMinor: 3001n, currencyCode: 'EUR' }, itemCount: 3 });
    expect(degradation?.partial).toBe(false);
    expect(calls.logical()).toEqual({ cart: 1, products: 1 });
  });

  it('takes an unknown product out of the cart again and answers NOT_FOUND', async () => {
    const removed: string[] = [];
    const { storefront, calls, as } = await gatewayOver({
      cart: {
        addItem: (request) => ({ cart: { lines: [{ productId: request.productId, quantity: 1 }] } }),
        removeItem: (request) => {
          removed.push(request.productId);
          return { cart: { lines: [] } };
        },
      },
      products: { batchGetProducts: () => ({ products: [], missingIds: ['ghost'] }) },
    });
    await expectConnectError(storefront.addCartItem({ productId: 'ghost', quantity: 1 }, await as('bob')), Code.NotFound, 'product "ghost" not found');
    expect(removed).toEqual(['ghost']);
    expect(calls.logical()).toEqual({ cart: 2, products: 1 });
  });

  it('keeps lines with only their id, marked partial naming product_details, when products is down', async () => {
    const { storefront, as } = await gatewayOver({ cart: { getCart: () => ({ cart: { lines: [{ productId: 'p1', quantity: 1 }] } }) }, products: { batchGetProducts: down } });
    const { cart, degradation } = await storefront.getCart({}, await as('alice'));
    expect(cart?.lines.map((line) => [line.product?.id, line.product?.name, line.lineTotal])).toEqual([['p1', '', undefined]]);
    expect(degradation).toMatchObject({ partial: true, missingParts: ['product_details'] });
  });

  it('needs a token, and answers UNAVAILABLE naming cart when cart is down', async () => {
    const { storefront, calls, as } = await gatewayOver({ cart: { getCart: down } });
    await expectConnectError(storefront.getCart({}), Code.Unauthenticated);
    expect(calls.logical()).toEqual({});
    await expectConnectError(storefront.getCart({}, await as('alice')), Code.Unavailable, 'cart unavailable');
  });
});

describe('checkout composition', () => {
  it('sends the cart to orders with the caller-scoped idempotency key: one cart call, one orders call', async () => {
    const requests: unknown[] = [];
    const { storefront, calls, as } = await gatewayOver({
      cart: { getCart: () => ({ cart: { lines: [{ productId: 'p1', quantity: 2 }] } }) },
      orders: {
        createOrder: (request) => {
          requests.push({ key: request.idempotencyKey, items: request.items.map(({ productId, quantity }) => [productId, quantity]), address: request.shippingAddress?.line2 });
          return { order: order('o1', request.customerId) };
        },
      },
    });
    const { order: placed } = await storefront.checkout({ idempotencyKey: 'k1', shippingAddressLines: ['1 Street', 'Town'] }, await as('alice'));
    expect(placed).toMatchObject({ id: 'o1', state: OrderState.CONFIRMED, customerName: 'Alice', shippingAddressLines: ['1 Street', 'Town'] });
    expect(placed?.lines[0]).toMatchObject({ productName: 'Boot at order time', unitPrice: { amountMinor: 1000n } });
    expect(requests).toEqual([{ key: 'alice:k1', items: [['p1', 2]], address: 'Town' }]);
    expect(calls.logical()).toEqual({ cart: 1, orders: 1 });
  });

  it('refuses an empty cart with FAILED_PRECONDITION when orders refuses the empty order, and bad input before any call', async () => {
    const { storefront, calls, as } = await gatewayOver({
      cart: { getCart: () => ({}) },
      orders: {
        createOrder: () => {
          throw new ConnectError('invalid items: must hold at least one item', Code.InvalidArgument);
        },
      },
    });
    const alice = await as('alice');
    await expectConnectError(storefront.checkout({ idempotencyKey: 'k2', shippingAddressLines: ['1 Street'] }, alice), Code.FailedPrecondition, 'the cart is empty');
    expect(calls.logical()).toEqual({ cart: 1, orders: 1 });
    await expectConnectError(storefront.checkout({ idempotencyKey: '', shippingAddressLines: ['1 Street'] }, alice), Code.InvalidArgument, 'idempotency_key');
    await expectConnectError(storefront.checkout({ idempotencyKey: 'k3', shippingAddressLines: [] }, alice), Code.InvalidArgument, 'shipping_address_lines');
    expect(calls.logical()).toEqual({ cart: 1, orders: 1 });
  });

  it('passes the caller’s deadline on to orders, capped by the downstream timeout', async () => {
    const { storefront, calls, as } = await gatewayOver(
      { cart: { getCart: () => ({ cart: { lines: [{ productId: 'p1', quantity: 1 }] } }) }, orders: { createOrder: (_request, context: HandlerContext) => hang(context) } },
      { GATEWAY_DOWNSTREAM_TIMEOUT_MS: '150' },
    );
    await expectConnectError(storefront.checkout({ idempotencyKey: 'k1', shippingAddressLines: ['1 Street'] }, { ...(await as('alice')), timeoutMs: 10_000 }), Code.Unavailable, 'orders unavailable: deadline exceeded');
    const ordersDeadline = calls.deadlines.find((call) => call.call === 'orders.createOrder')?.timeoutMs;
    expect(ordersDeadline).toBeLessThanOrEqual(150);
    const late = await storefront.checkout({ idempotencyKey: 'k1', shippingAddressLines: ['1 Street'] }, { ...(await as('alice')), timeoutMs: 80 }).catch((error: unknown) => error);
    expect(late).toBeInstanceOf(ConnectError);
    expect([Code.DeadlineExceeded, Code.Unavailable]).toContain((late as ConnectError).code);
    const propagated = calls.deadlines.filter((call) => call.call === 'cart.getCart').at(-1)?.timeoutMs;
    expect(propagated).toBeLessThanOrEqual(80);
  });
});

describe('order details composition', () => {
  const apis = (overrides: DownstreamApis = {}): DownstreamApis => ({
    orders: { getOrder: (request) => ({ order: order(request.id, 'alice') }) },
    products: { batchGetProducts: () => ({ products: [product('p1', 0)] }) },
    users: { getUser: (request) => ({ user: { id: request.id, displayName: 'Alice Now', email: 'alice@example.com' } }) },
    ...overrides,
  });

  it('shows copied prices, current availability and the customer: one call per service', async () => {
    const { storefront, calls, as } = await gatewayOver(apis());
    const details = await storefront.getOrderDetails({ orderId: 'o1' }, await as('alice'));
    expect(details.order?.lines[0]).toMatchObject({ productName: 'Boot at order time', unitPrice: { amountMinor: 1000n }, availableNow: false });
    expect(details.customer).toMatchObject({ id: 'alice', displayName: 'Alice Now' });
    expect(calls.logical()).toEqual({ orders: 1, products: 1, users: 1 });
  });

  it('is partial naming availability and customer when products and users are down', async () => {
    const { storefront, as } = await gatewayOver(apis({ products: { batchGetProducts: down }, users: { getUser: down } }));
    const details = await storefront.getOrderDetails({ orderId: 'o1' }, await as('alice'));
    expect(details.order?.lines).toHaveLength(1);
    expect(details.customer).toBeUndefined();
    expect([...(details.degradation?.missingParts ?? [])].sort()).toEqual(['availability', 'customer']);
  });

  it('refuses another user’s order without telling anything about it', async () => {
    const { storefront, calls, as } = await gatewayOver(apis());
    const denied = await expectConnectError(storefront.getOrderDetails({ orderId: 'o1' }, await as('bob')), Code.PermissionDenied);
    expect(denied.rawMessage).not.toMatch(/alice|boot/i);
    expect(calls.logical()).toEqual({ orders: 1 });
  });
});

describe('product administration', () => {
  it('needs the admin role and forwards the new price with an update mask', async () => {
    const masks: string[][] = [];
    const { storefront, calls, as } = await gatewayOver({
      products: {
        updateProduct: (request) => {
          masks.push(request.updateMask?.paths ?? []);
          return { product: { ...product(request.product!.id), price: request.product!.price } };
        },
      },
    });
    await expectConnectError(storefront.updateProductPrice({ productId: 'p1', price: eur(750n) }, await as('alice')), Code.PermissionDenied);
    expect(calls.logical()).toEqual({});
    const { product: repriced } = await storefront.updateProductPrice({ productId: 'p1', price: eur(750n) }, await as('admin', ['admin']));
    expect(repriced?.price?.amountMinor).toBe(750n);
    expect(masks).toEqual([['price']]);
  });
});

describe('sales report', () => {
  const period = { startTime: { seconds: 1_790_000_000n, nanos: 0 }, endTime: { seconds: 1_790_086_400n, nanos: 0 } };
  const usd = (amountMinor: bigint) => ({ amountMinor, currencyCode: 'USD' });
  const analytics: DownstreamApis['analytics'] = {
    getRevenueByCategory: () => ({ rows: [{ day: '2026-09-21', categoryId: 'boots', revenue: usd(5000n), units: 2n, orders: 1n }] }),
    listTopProducts: (request) => ({ products: [{ productId: 'p1', currentName: 'Steel Boot', orderTimeNames: ['Boot'], units: BigInt(request.pageSize), revenue: usd(5000n) }] }),
    getOrdersByStatus: () => ({ counts: [{ status: OrderStatus.CONFIRMED, orders: 1n, total: usd(5000n) }] }),
    getCohortOrderValues: () => ({ cohorts: [{ cohort: '2026-09', customers: 1n, orders: 1n, total: usd(5000n), averageOrderValue: usd(5000n) }] }),
    getRejectedCheckoutRate: () => ({ checkouts: 4n, rejected: 1n, rejectedRate: 0.25 }),
  };

  it('composes the five analytics reports for an admin, one call each', async () => {
    const gateway = await gatewayOver({ analytics });
    const report = await gateway.storefront.getSalesReport({ ...period, topProductsSize: 3 }, await gateway.as('admin-user', ['admin']));
    expect(report.revenueByCategory.map((row) => [row.categoryId, row.revenue?.amountMinor, row.units])).toEqual([['boots', 5000n, 2n]]);
    expect(report.topProducts.map((product) => [product.currentName, product.orderTimeNames, product.units])).toEqual([['Steel Boot', ['Boot'], 3n]]);
    expect(report.ordersByStatus.map((count) => [count.status, count.orders])).toEqual([[OrderStatus.CONFIRMED, 1n]]);
    expect(report.cohorts.map((cohort) => [cohort.cohort, cohort.averageOrderValue?.amountMinor])).toEqual([['2026-09', 5000n]]);
    expect([report.checkouts, report.rejectedCheckouts, report.rejectedRate]).toEqual([4n, 1n, 0.25]);
    expect(gateway.calls.logical()).toEqual({ analytics: 5 });
  });

  it('refuses a caller without the admin role or without a token, before calling analytics', async () => {
    const gateway = await gatewayOver({ analytics });
    await expectConnectError(gateway.storefront.getSalesReport(period, await gateway.as('alice')), Code.PermissionDenied, /admin/);
    await expectConnectError(gateway.storefront.getSalesReport(period), Code.Unauthenticated);
    expect(gateway.calls.logical()).toEqual({});
  });

  it('answers INVALID_ARGUMENT naming the field for a missing, reversed or unrepresentable period', async () => {
    const gateway = await gatewayOver({ analytics });
    const admin = await gateway.as('admin-user', ['admin']);
    await expectConnectError(gateway.storefront.getSalesReport({ endTime: period.endTime }, admin), Code.InvalidArgument, /start_time/);
    await expectConnectError(gateway.storefront.getSalesReport({ startTime: period.endTime, endTime: period.startTime }, admin), Code.InvalidArgument, /end_time/);
    await expectConnectError(gateway.storefront.getSalesReport({ ...period, topProductsSize: 101 }, admin), Code.InvalidArgument, /top_products_size/);
    await expectConnectError(gateway.storefront.getSalesReport({ ...period, startTime: { seconds: 10n ** 15n } }, admin), Code.InvalidArgument, /start_time/);
    expect(gateway.calls.logical()).toEqual({});
  });

  it('answers UNAVAILABLE naming analytics when it is down', async () => {
    const gateway = await gatewayOver({ analytics: { ...analytics, getOrdersByStatus: down } });
    await expectConnectError(gateway.storefront.getSalesReport(period, await gateway.as('admin-user', ['admin'])), Code.Unavailable, /analytics/);
  });
});
