import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, ConnectError, createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createServiceClient, grpcTransport } from '@shop/runtime';
import { startShopServices, uniqueName, type ShopServices } from '@shop/testkit';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { OrderState } from '@shop/gen/storefront/v1/storefront_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { loadConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/server.js';
import { TokenAuthority } from '../src/auth/jwt.js';

const secret = 'test-secret-test-secret-test-secret-0001';
const calls = new Map<string, number>();
const counting: Interceptor = (next) => async (request) => {
  calls.set(request.service.typeName, (calls.get(request.service.typeName) ?? 0) + 1);
  return next(request);
};

/** Downstream calls made while fn runs, by service name ("products", "search", …). */
async function countCalls<T>(fn: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }> {
  calls.clear();
  const result = await fn();
  const counts = Object.fromEntries([...calls].map(([service, count]) => [service.split('.')[1]!, count]));
  return { result, counts };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the storefront gateway', () => {
  let shop: ShopServices;
  let gateway: RunningGateway;
  let storefront: Client<typeof StorefrontService>;
  let products: Client<typeof ProductService>;
  const tokens = new TokenAuthority(secret, 'shop-gateway');
  const category = uniqueName('cat').toLowerCase();
  const productIds: string[] = [];
  let alice = { id: '', token: '' };
  let bob = { id: '', token: '' };
  let admin = '';
  let aliceOrderId = '';
  const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    shop = await startShopServices();
    const config = loadConfig({
      GATEWAY_GRPC_PORT: '0',
      GATEWAY_HTTP_PORT: '0',
      GATEWAY_JWT_SECRET: secret,
      LOG_LEVEL: 'silent',
      PRODUCTS_ADDR: shop.processes.products.address,
      ORDERS_ADDR: shop.processes.orders.address,
      USERS_ADDR: shop.processes.users.address,
      CART_ADDR: shop.processes.cart.address,
      SEARCH_ADDR: shop.processes.search.address,
      GATEWAY_OPTIONAL_PART_TIMEOUT_MS: '1500',
    });
    gateway = await startGateway(config, { interceptors: [counting] });
    storefront = createClient(StorefrontService, grpcTransport(gateway.address));
    products = createServiceClient(ProductService, { name: 'products', address: shop.processes.products.address, defaultTimeoutMs: 10_000 });
    const users = createServiceClient(UserService, { name: 'users', address: shop.processes.users.address });
    for (const who of ['alice', 'bob']) {
      const { user } = await users.createUser({ email: `${uniqueName(who)}@example.com`, displayName: who === 'alice' ? 'Alice' : 'Bob', address: { line1: '1 Street' } });
      const token = await tokens.mint({ userId: user!.id, roles: [] });
      if (who === 'alice') alice = { id: user!.id, token };
      else bob = { id: user!.id, token };
    }
    admin = await tokens.mint({ userId: 'admin-user', roles: ['admin'] });
    for (let index = 0; index < 50; index += 1) {
      const { product } = await products.createProduct({
        sku: uniqueName(`sku${index}`),
        name: index === 0 ? 'Quokka Trail Boot' : `Plain Item ${index}`,
        description: index === 1 ? 'Goes well with a quokka trail boot' : 'An ordinary thing',
        categoryId: category,
        price: { amountMinor: BigInt(1000 + index), currencyCode: 'EUR' },
        stock: 100,
      });
      productIds.push(product!.id);
    }
    const search = createServiceClient(SearchService, { name: 'search', address: shop.processes.search.address });
    await eventually(async () => ((await search.searchProducts({ categoryIds: [category], pageSize: 1 })).totalSize === 50n ? true : undefined), 30_000);
  }, 180_000);

  afterAll(async () => {
    await gateway?.shutdown();
    await shop?.stop();
  });

  it('searches with live price and stock, with one call to search and one to products', async () => {
    await products.adjustStock({ productId: productIds[0]!, delta: -7, reason: 'test' });
    const { result, counts } = await countCalls(() => storefront.searchProducts({ query: 'quokka trail boot', categoryIds: [category] }));
    expect(result.items[0]).toMatchObject({ productId: productIds[0], name: 'Quokka Trail Boot', stock: 93, live: true });
    expect(result.degradation?.partial ?? false).toBe(false);
    expect(counts).toEqual({ search: 1, product: 1 });
  });

  it('shows a product page with related products of its category', async () => {
    const { result, counts } = await countCalls(() => storefront.getProductPage({ productId: productIds[0]! }));
    expect(result.product).toMatchObject({ id: productIds[0], name: 'Quokka Trail Boot', available: true });
    expect(result.related).toHaveLength(8);
    expect(result.related.map((item) => item.productId)).not.toContain(productIds[0]);
    expect(counts).toEqual({ product: 1, search: 1 });
  });

  it('composes the cart with product details and totals from one products call', async () => {
    await storefront.addCartItem({ productId: productIds[2]!, quantity: 2 }, auth(alice.token));
    const { result, counts } = await countCalls(() => storefront.addCartItem({ productId: productIds[3]!, quantity: 1 }, auth(alice.token)));
    expect(counts).toEqual({ cart: 1, product: 1 });
    expect(result.cart?.lines.map((line) => [line.product?.name, line.quantity, line.lineTotal?.amountMinor])).toEqual([
      ['Plain Item 2', 2, 2004n],
      ['Plain Item 3', 1, 1003n],
    ]);
    expect(result.cart?.total).toMatchObject({ amountMinor: 3007n, currencyCode: 'EUR' });
  });

  it('refuses to add a product that does not exist', async () => {
    await expect(storefront.addCartItem({ productId: '000000000000000000000000', quantity: 1 }, auth(bob.token))).rejects.toMatchObject({ code: Code.NotFound });
    const { cart } = await storefront.getCart({}, auth(bob.token));
    expect(cart?.lines).toEqual([]);
  });

  it('checks out a 50-item cart with one cart call, one orders call, and orders making one products batch call; the cart empties itself and a retry returns the same order', async () => {
    for (const id of productIds) await storefront.updateCartItem({ productId: id, quantity: 1 }, auth(alice.token));
    const batchCallsBefore = (shop.processes.products.output().match(/BatchGetProducts/g) ?? []).length;
    const { result, counts } = await countCalls(() => storefront.checkout({ idempotencyKey: 'k1', shippingAddressLines: ['1 Street', 'Town'] }, auth(alice.token)));
    expect(counts).toEqual({ cart: 1, order: 1 });
    expect(result.order?.state).toBe(OrderState.CONFIRMED);
    expect(result.order?.lines).toHaveLength(50);
    aliceOrderId = result.order!.id;
    const batchCallsAfter = await eventually(async () => {
      const count = (shop.processes.products.output().match(/BatchGetProducts/g) ?? []).length;
      return count > batchCallsBefore ? count : undefined;
    });
    expect(batchCallsAfter - batchCallsBefore).toBe(1);
    const cartCleared = await eventually(async () => ((await storefront.getCart({}, auth(alice.token))).cart?.lines.length === 0 ? true : undefined));
    expect(cartCleared).toBe(true);
    const again = await storefront.checkout({ idempotencyKey: 'k1', shippingAddressLines: ['1 Street'] }, auth(alice.token));
    expect(again.order?.id).toBe(aliceOrderId);
    await expect(storefront.checkout({ idempotencyKey: 'k2', shippingAddressLines: ['1 Street'] }, auth(alice.token))).rejects.toMatchObject({
      code: Code.FailedPrecondition,
      rawMessage: 'the cart is empty',
    });
  });

  it('shows order details with copied prices, current availability and the customer, one call per service', async () => {
    const { result, counts } = await countCalls(() => storefront.getOrderDetails({ orderId: aliceOrderId }, auth(alice.token)));
    expect(counts).toEqual({ order: 1, product: 1, user: 1 });
    expect(result.order?.lines.find((line) => line.productId === productIds[0])).toMatchObject({ productName: 'Quokka Trail Boot', unitPrice: { amountMinor: 1000n }, availableNow: true });
    expect(result.customer).toMatchObject({ id: alice.id, displayName: 'Alice' });
    const mine = await storefront.listMyOrders({}, auth(alice.token));
    expect(mine.orders.map((order) => order.id)).toEqual([aliceOrderId]);
  });

  it('lets a user see only their own orders and cart, leaking nothing of others', async () => {
    const denied = (await storefront.getOrderDetails({ orderId: aliceOrderId }, auth(bob.token)).catch((error: unknown) => error)) as ConnectError;
    expect(denied.code).toBe(Code.PermissionDenied);
    expect(denied.rawMessage).not.toMatch(/alice|quokka/i);
    expect(denied.rawMessage).not.toContain(alice.id);
    expect((await storefront.listMyOrders({}, auth(bob.token))).orders).toEqual([]);
  });

  it('requires a valid token for personal calls and the admin role for product writes', async () => {
    await expect(storefront.getCart({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(storefront.getCart({}, auth('not-a-jwt'))).rejects.toMatchObject({ code: Code.Unauthenticated });
    const forged = await new TokenAuthority('another-secret-another-secret-another', 'shop-gateway').mint({ userId: alice.id, roles: ['admin'] });
    await expect(storefront.getCart({}, auth(forged))).rejects.toMatchObject({ code: Code.Unauthenticated });
    const newProduct = { sku: uniqueName('adm'), name: 'Admin Made', categoryId: category, price: { amountMinor: 500n, currencyCode: 'EUR' }, stock: 1 };
    await expect(storefront.createProduct(newProduct, auth(alice.token))).rejects.toMatchObject({ code: Code.PermissionDenied });
    const created = await storefront.createProduct(newProduct, auth(admin));
    expect(created.product).toMatchObject({ name: 'Admin Made', available: true });
    const repriced = await storefront.updateProductPrice({ productId: created.product!.id, price: { amountMinor: 750n, currencyCode: 'EUR' } }, auth(admin));
    expect(repriced.product?.price?.amountMinor).toBe(750n);
  });

  it('keeps answering, marked partial, when non-essential dependencies are down', async () => {
    await shop.processes.products.stop();
    await shop.processes.users.stop();
    const search = await storefront.searchProducts({ query: 'quokka', categoryIds: [category] });
    expect(search.items[0]).toMatchObject({ productId: productIds[0], live: false });
    expect(search.degradation).toMatchObject({ partial: true, missingParts: ['live_stock'] });
    const details = await storefront.getOrderDetails({ orderId: aliceOrderId }, auth(alice.token));
    expect(details.order?.lines).toHaveLength(50);
    expect(details.degradation?.missingParts.sort()).toEqual(['availability', 'customer']);
    const cart = await storefront.addCartItem({ productId: productIds[4]!, quantity: 1 }, auth(bob.token));
    expect(cart.degradation).toMatchObject({ partial: true, missingParts: ['product_details'] });
    await expect(storefront.getProductPage({ productId: productIds[0]! })).rejects.toMatchObject({ code: Code.Unavailable, rawMessage: expect.stringContaining('products unavailable') });
    await shop.restart('products');
    await shop.restart('users');
  }, 60_000);

  it('answers UNAVAILABLE naming the dependency when an essential one is down', async () => {
    await shop.processes.search.stop();
    await shop.processes.cart.stop();
    await shop.processes.orders.stop();
    const searchDown = (await storefront.searchProducts({ query: 'quokka' }).catch((error: unknown) => error)) as ConnectError;
    expect(searchDown).toMatchObject({ code: Code.Unavailable, rawMessage: expect.stringContaining('search unavailable') });
    await expect(storefront.getCart({}, auth(alice.token))).rejects.toMatchObject({ code: Code.Unavailable, rawMessage: expect.stringContaining('cart unavailable') });
    await expect(storefront.listMyOrders({}, auth(alice.token))).rejects.toMatchObject({ code: Code.Unavailable, rawMessage: expect.stringContaining('orders unavailable') });
    const page = await eventually(() => storefront.getProductPage({ productId: productIds[0]! }));
    expect(page.product?.id).toBe(productIds[0]);
    expect(page.degradation).toMatchObject({ partial: true, missingParts: ['related_products'] });
  }, 60_000);
});
