import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Code, createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createServiceClient, defaultResilience, grpcTransport } from '@shop/runtime';
import { eventually, expectConnectError, startShopServices, uniqueName, type ShopServiceName, type ShopServices } from '@shop/testkit';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { OrderState } from '@shop/gen/storefront/v1/storefront_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { TokenAuthority } from '../src/auth/jwt.js';
import { loadConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/main.js';
import { requestIdHeader } from '../src/peers/call-options.js';

const secret = 'test-secret-test-secret-test-secret-0001';
const tokens = new TokenAuthority(secret, 'shop-gateway');

/** Downstream calls the gateway made, by service ("product", "search", …): logical ones by request id, retries counted once. */
class CallLog {
  private readonly ids = new Map<string, Set<string>>();
  readonly interceptor: Interceptor = (next) => async (request) => {
    const service = request.service.typeName.split('.')[1]!;
    const ids = this.ids.get(service) ?? new Set<string>();
    ids.add(request.header.get(requestIdHeader) ?? `untagged-${ids.size}`);
    this.ids.set(service, ids);
    return next(request);
  };

  /** Logical calls made while fn runs. */
  async during<T>(fn: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }> {
    this.ids.clear();
    const result = await fn();
    return { result, counts: Object.fromEntries([...this.ids].map(([service, ids]) => [service, ids.size])) };
  }
}

/** How many BatchGetProducts attempts the products process has logged so far. */
function callsLogged(shop: ShopServices, method: string, code?: string): number {
  return shop.processes.products.output().split('\n').filter((line) => line.includes('"msg":"call"') && line.includes(`/${method}"`) && (!code || line.includes(`"code":"${code}"`))).length;
}

function batchAttemptsLogged(shop: ShopServices): number {
  return callsLogged(shop, 'BatchGetProducts');
}

/**
 * The BatchGetProducts attempts products has logged once every call made so far is in its log: products writes its log
 * in batches, in order, so a marker call (a GetProduct of an unknown id) showing up means every earlier line has.
 */
async function settledBatchAttempts(shop: ShopServices, products: Client<typeof ProductService>): Promise<number> {
  const markers = callsLogged(shop, 'GetProduct', 'NOT_FOUND');
  await expectConnectError(products.getProduct({ id: '000000000000000000000000' }), Code.NotFound);
  await eventually(() => callsLogged(shop, 'GetProduct', 'NOT_FOUND') > markers, { description: "products' log showing the marker call" });
  return batchAttemptsLogged(shop);
}

describe('the storefront gateway over the running services', () => {
  let shop: ShopServices;
  let products: Client<typeof ProductService>;
  let users: Client<typeof UserService>;
  let search: Client<typeof SearchService>;
  let gateway: RunningGateway | undefined;
  let storefront: Client<typeof StorefrontService>;
  let calls: CallLog;
  const stopped = new Set<ShopServiceName>();
  const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    // Debug logging: the test counts products' access-log lines, and a call that succeeds is logged at debug.
    shop = await startShopServices({ env: { LOG_LEVEL: 'debug' } });
    products = createServiceClient(ProductService, { name: 'products', address: shop.processes.products.address, defaultTimeoutMs: 10_000 });
    users = createServiceClient(UserService, { name: 'users', address: shop.processes.users.address, defaultTimeoutMs: 10_000 });
    search = createServiceClient(SearchService, { name: 'search', address: shop.processes.search.address, defaultTimeoutMs: 10_000 });
  }, 180_000);
  afterAll(async () => {
    await shop?.stop();
  });

  beforeEach(async () => {
    calls = new CallLog();
    const config = loadConfig({
      GATEWAY_GRPC_PORT: '0',
      GATEWAY_HTTP_PORT: '0',
      GATEWAY_JWT_SECRET: secret,
      LOG_LEVEL: 'silent',
      ...shop.peerAddresses('gateway'),
      // Generous budgets: on a loaded machine a 50-item saga or a batch read may take seconds; outages still fail fast (refused connections).
      GATEWAY_DOWNSTREAM_TIMEOUT_MS: '30000',
      GATEWAY_OPTIONAL_PART_TIMEOUT_MS: '10000',
    });
    gateway = await startGateway(config, { interceptors: [calls.interceptor] });
    storefront = createClient(StorefrontService, grpcTransport(gateway.address));
  });
  afterEach(async () => {
    await gateway?.shutdown();
    gateway = undefined;
    for (const name of stopped) await shop.restart(name);
    stopped.clear();
  }, 120_000);

  async function stop(...names: ShopServiceName[]): Promise<void> {
    for (const name of names) {
      stopped.add(name);
      await shop.processes[name].stop();
    }
  }

  async function customer(displayName: string): Promise<{ id: string; token: string }> {
    const { user } = await users.createUser({ email: `${uniqueName(displayName.toLowerCase())}@example.com`, displayName, address: { line1: '1 Street' } });
    return { id: user!.id, token: await tokens.mint({ userId: user!.id, roles: [] }) };
  }

  /** A fresh category of count products (the first named "Quokka Trail Boot"), indexed by search. */
  async function catalog(count: number): Promise<{ category: string; ids: string[] }> {
    const category = uniqueName('cat').toLowerCase();
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const { product } = await products.createProduct({
        sku: uniqueName(`sku${index}`),
        name: index === 0 ? 'Quokka Trail Boot' : `Plain Item ${index}`,
        description: index === 1 ? 'Goes well with a quokka trail boot' : 'An ordinary thing',
        categoryId: category,
        price: { amountMinor: BigInt(1000 + index), currencyCode: 'EUR' },
        stock: 100,
      });
      ids.push(product!.id);
    }
    await eventually(async () => (await search.searchProducts({ categoryIds: [category], pageSize: 1 })).totalSize === BigInt(count), {
      description: `search indexing the ${count} products of ${category}`,
      timeoutMs: 60_000,
    });
    return { category, ids };
  }

  async function placedOrder(buyer: { token: string }, productIds: readonly string[]): Promise<string> {
    for (const id of productIds) await storefront.updateCartItem({ productId: id, quantity: 1 }, auth(buyer.token));
    const { order } = await storefront.checkout({ idempotencyKey: uniqueName('key'), shippingAddressLines: ['1 Street', 'Town'] }, auth(buyer.token));
    expect(order?.state).toBe(OrderState.CONFIRMED);
    return order!.id;
  }

  it('searches with live price and stock, with one call to search and one to products', async () => {
    const { category, ids } = await catalog(3);
    await products.adjustStock({ productId: ids[0]!, delta: -7, reason: 'test' });
    const { result, counts } = await calls.during(() => storefront.searchProducts({ query: 'quokka trail boot', categoryIds: [category] }));
    expect(result.items[0]).toMatchObject({ productId: ids[0], name: 'Quokka Trail Boot', stock: 93, live: true });
    expect(result.degradation?.partial ?? false).toBe(false);
    expect(counts).toEqual({ search: 1, product: 1 });
  });

  it('shows a product page with related products of its category', async () => {
    const { ids } = await catalog(10);
    const { result, counts } = await calls.during(() => storefront.getProductPage({ productId: ids[0]! }));
    expect(result.product).toMatchObject({ id: ids[0], name: 'Quokka Trail Boot', available: true });
    expect(result.related).toHaveLength(8);
    expect(result.related.map((item) => item.productId)).not.toContain(ids[0]);
    expect(counts).toEqual({ product: 1, search: 1 });
  });

  it('composes the cart with product details and totals from one products call', async () => {
    const { ids } = await catalog(4);
    const alice = await customer('Alice');
    await storefront.addCartItem({ productId: ids[2]!, quantity: 2 }, auth(alice.token));
    const { result, counts } = await calls.during(() => storefront.addCartItem({ productId: ids[3]!, quantity: 1 }, auth(alice.token)));
    expect(counts).toEqual({ cart: 1, product: 1 });
    expect(result.cart?.lines.map((line) => [line.product?.name, line.quantity, line.lineTotal?.amountMinor])).toEqual([
      ['Plain Item 2', 2, 2004n],
      ['Plain Item 3', 1, 1003n],
    ]);
    expect(result.cart?.total).toMatchObject({ amountMinor: 3007n, currencyCode: 'EUR' });
  });

  it('refuses to add a product that does not exist', async () => {
    const bob = await customer('Bob');
    await expectConnectError(storefront.addCartItem({ productId: '000000000000000000000000', quantity: 1 }, auth(bob.token)), Code.NotFound);
    const { cart } = await storefront.getCart({}, auth(bob.token));
    expect(cart?.lines).toEqual([]);
  });

  it('checks out a 50-item cart with one cart call, one orders call, and orders making one products batch call; the cart empties itself and a retry returns the same order', async () => {
    const { ids } = await catalog(50);
    const alice = await customer('Alice');
    for (const id of ids) await storefront.updateCartItem({ productId: id, quantity: 1 }, auth(alice.token));
    const attemptsBefore = await settledBatchAttempts(shop, products);
    const { result, counts } = await calls.during(() => storefront.checkout({ idempotencyKey: 'k1', shippingAddressLines: ['1 Street', 'Town'] }, auth(alice.token)));
    expect(counts).toEqual({ cart: 1, order: 1 });
    expect(result.order?.state).toBe(OrderState.CONFIRMED);
    expect(result.order?.lines).toHaveLength(50);
    const attempts = await eventually(() => batchAttemptsLogged(shop) - attemptsBefore || undefined, { description: 'the products log recording the batch call' });
    // One logical batch call for 50 items, not one per item; the products log counts attempts, so a retry of that one call may add to it.
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(1 + defaultResilience.retries);
    await eventually(async () => (await storefront.getCart({}, auth(alice.token))).cart?.lines.length === 0, { description: 'the cart emptying itself' });
    const again = await storefront.checkout({ idempotencyKey: 'k1', shippingAddressLines: ['1 Street'] }, auth(alice.token));
    expect(again.order?.id).toBe(result.order!.id);
    await expectConnectError(storefront.checkout({ idempotencyKey: 'k2', shippingAddressLines: ['1 Street'] }, auth(alice.token)), Code.FailedPrecondition, 'the cart is empty');
  });

  it('shows order details with copied prices, current availability and the customer, one call per service', async () => {
    const { ids } = await catalog(2);
    const alice = await customer('Alice');
    const orderId = await placedOrder(alice, ids);
    const { result, counts } = await calls.during(() => storefront.getOrderDetails({ orderId }, auth(alice.token)));
    expect(counts).toEqual({ order: 1, product: 1, user: 1 });
    expect(result.order?.lines.find((line) => line.productId === ids[0])).toMatchObject({ productName: 'Quokka Trail Boot', unitPrice: { amountMinor: 1000n }, availableNow: true });
    expect(result.customer).toMatchObject({ id: alice.id, displayName: 'Alice' });
    const mine = await storefront.listMyOrders({}, auth(alice.token));
    expect(mine.orders.map((order) => order.id)).toEqual([orderId]);
  });

  it('lets a user see only their own orders and cart, leaking nothing of others', async () => {
    const { ids } = await catalog(1);
    const alice = await customer('Alice');
    const bob = await customer('Bob');
    const orderId = await placedOrder(alice, ids);
    const denied = await expectConnectError(storefront.getOrderDetails({ orderId }, auth(bob.token)), Code.PermissionDenied);
    expect(denied.rawMessage).not.toMatch(/alice|quokka/i);
    expect(denied.rawMessage).not.toContain(alice.id);
    expect((await storefront.listMyOrders({}, auth(bob.token))).orders).toEqual([]);
  });

  it('requires a valid token for personal calls and the admin role for product writes', async () => {
    const alice = await customer('Alice');
    const admin = await tokens.mint({ userId: 'admin-user', roles: ['admin'] });
    await expectConnectError(storefront.getCart({}), Code.Unauthenticated);
    await expectConnectError(storefront.getCart({}, auth('not-a-jwt')), Code.Unauthenticated);
    const forged = await new TokenAuthority('another-secret-another-secret-another', 'shop-gateway').mint({ userId: alice.id, roles: ['admin'] });
    await expectConnectError(storefront.getCart({}, auth(forged)), Code.Unauthenticated);
    const newProduct = { sku: uniqueName('adm'), name: 'Admin Made', categoryId: uniqueName('cat').toLowerCase(), price: { amountMinor: 500n, currencyCode: 'EUR' }, stock: 1 };
    await expectConnectError(storefront.createProduct(newProduct, auth(alice.token)), Code.PermissionDenied);
    const created = await storefront.createProduct(newProduct, auth(admin));
    expect(created.product).toMatchObject({ name: 'Admin Made', available: true });
    const repriced = await storefront.updateProductPrice({ productId: created.product!.id, price: { amountMinor: 750n, currencyCode: 'EUR' } }, auth(admin));
    expect(repriced.product?.price?.amountMinor).toBe(750n);
  });

  it('keeps answering, marked partial, when non-essential dependencies are down', async () => {
    const { category, ids } = await catalog(2);
    const alice = await customer('Alice');
    const bob = await customer('Bob');
    const orderId = await placedOrder(alice, ids);
    await stop('products', 'users');
    const found = await storefront.searchProducts({ query: 'quokka', categoryIds: [category] });
    expect(found.items[0]).toMatchObject({ productId: ids[0], live: false });
    expect(found.degradation).toMatchObject({ partial: true, missingParts: ['live_stock'] });
    const details = await storefront.getOrderDetails({ orderId }, auth(alice.token));
    expect(details.order?.lines).toHaveLength(2);
    expect([...(details.degradation?.missingParts ?? [])].sort()).toEqual(['availability', 'customer']);
    const cart = await storefront.addCartItem({ productId: ids[1]!, quantity: 1 }, auth(bob.token));
    expect(cart.degradation).toMatchObject({ partial: true, missingParts: ['product_details'] });
    await expectConnectError(storefront.getProductPage({ productId: ids[0]! }), Code.Unavailable, 'products unavailable');
  }, 120_000);

  it('answers UNAVAILABLE naming the dependency when an essential one is down', async () => {
    const { ids } = await catalog(1);
    const alice = await customer('Alice');
    await stop('search', 'cart', 'orders');
    await expectConnectError(storefront.searchProducts({ query: 'quokka' }), Code.Unavailable, 'search unavailable');
    await expectConnectError(storefront.getCart({}, auth(alice.token)), Code.Unavailable, 'cart unavailable');
    await expectConnectError(storefront.listMyOrders({}, auth(alice.token)), Code.Unavailable, 'orders unavailable');
    const page = await storefront.getProductPage({ productId: ids[0]! });
    expect(page.product?.id).toBe(ids[0]);
    expect(page.degradation).toMatchObject({ partial: true, missingParts: ['related_products'] });
  }, 120_000);
});
