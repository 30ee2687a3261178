import { writeFile } from 'node:fs/promises';
import { createClient, type Client } from '@connectrpc/connect';
import { grpcTransport } from '@shop/runtime';
import { startServiceProcess, startShopServices, uniqueName } from '@shop/testkit';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { startTestStores, stopTestStores } from '../test/test-stores.js';
import type { Operation } from './support/closed-loop.js';
import type { PhaseStats } from './support/stats.js';
import { roundsOptions, runRounds } from './support/rounds.js';

const usage = `Measures what the gateway's composition costs: a search page and a cart page through the gateway, against
the same composition made by the client calling the services directly, side by side in the same time window.
Usage: node --import tsx bench/gateway-overhead.ts [--seconds 5] [--rounds 3] [--callers 2] [--out bench/results/gateway-overhead.md]`;

const options = roundsOptions(usage, 'bench/results/gateway-overhead.md');
const secret = 'bench-secret-bench-secret-bench-secret-01';
const client = <S extends Parameters<typeof createClient>[0]>(service: S, address: string) => createClient(service, grpcTransport(address)) as Client<S>;

await startTestStores();
const shop = await startShopServices();
const gateway = await startServiceProcess('gateway', {
  GATEWAY_GRPC_PORT: '0',
  GATEWAY_HTTP_PORT: '0',
  GATEWAY_JWT_SECRET: secret,
  LOG_LEVEL: 'info',
  ...shop.peerAddresses('gateway'),
});
try {
  const products = client(ProductService, shop.processes.products.address);
  const search = client(SearchService, shop.processes.search.address);
  const cart = client(CartService, shop.processes.cart.address);
  const storefront = client(StorefrontService, gateway.address);
  const category = uniqueName('bench').toLowerCase();
  const ids: string[] = [];
  for (let index = 0; index < 60; index += 1) {
    const { product } = await products.createProduct({ sku: uniqueName('b'), name: `Bench Boot ${index}`, description: 'A sturdy bench boot', categoryId: category, price: { amountMinor: BigInt(1000 + index), currencyCode: 'EUR' }, stock: 50 });
    ids.push(product!.id);
  }
  const { user } = await client(UserService, shop.processes.users.address).createUser({ email: `${uniqueName('bench')}@example.com`, displayName: 'Bench' });
  for (const id of ids.slice(0, 10)) await cart.addItem({ userId: user!.id, productId: id, quantity: 1 });
  while ((await search.searchProducts({ categoryIds: [category], pageSize: 1 })).totalSize < 60n) await new Promise((resolve) => setTimeout(resolve, 200));
  const { TokenAuthority } = await import('../services/gateway/src/auth/jwt.js');
  const token = await new TokenAuthority(secret, 'shop-gateway').mint({ userId: user!.id, roles: [] });
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const callers = options.callers;
  const query = { query: 'bench boot', categoryIds: [category], pageSize: 20 };
  const operations: Operation[] = [
    { name: 'search page via gateway', callers, call: () => storefront.searchProducts(query) },
    {
      name: 'search page, direct',
      callers,
      call: async () => {
        const { hits } = await search.searchProducts(query);
        return products.batchGetProducts({ ids: hits.map((hit) => hit.productId) });
      },
    },
    { name: 'cart page via gateway', callers, call: () => storefront.getCart({}, auth) },
    {
      name: 'cart page, direct',
      callers,
      call: async () => {
        const { cart: lines } = await cart.getCart({ userId: user!.id });
        return products.batchGetProducts({ ids: lines!.lines.map((line) => line.productId) });
      },
    },
  ];
  const stats = await runRounds(operations, options);
  const row = (page: string, via: PhaseStats, direct: PhaseStats) =>
    `| ${page} | ${via.p50Ms.toFixed(1)} / ${direct.p50Ms.toFixed(1)} | ${(via.p50Ms / direct.p50Ms).toFixed(2)}× | ${(via.p99Ms / direct.p99Ms).toFixed(2)}× | ${(via.throughputPerSecond / direct.throughputPerSecond).toFixed(2)}× | ${via.errors + direct.errors} |`;
  const report = [
    '# Gateway composition against direct calls',
    '',
    `Measured by \`node --import tsx bench/gateway-overhead.ts\` on ${new Date().toISOString().slice(0, 10)}: ${callers} closed-loop callers per operation, all four operations running at once, ${options.rounds} rounds of ${options.seconds} s. "Direct" makes the same calls the gateway makes (search then one products batch; cart then one products batch) from the client, without authentication or degradation handling. Both paths share one 2-core machine with every service, and the benchmark process, which drives both, is itself a busy client: a ratio below 1 means the extra hop cost less than the composition work the gateway takes off the client.`,
    '',
    '| page | p50 ms, gateway / direct | p50 ratio | p99 ratio | throughput ratio | failed calls |',
    '|---|---|--:|--:|--:|--:|',
    row('search page (search + live stock)', stats.get('search page via gateway')!, stats.get('search page, direct')!),
    row('cart page (cart + product details)', stats.get('cart page via gateway')!, stats.get('cart page, direct')!),
    '',
  ].join('\n');
  console.log(report);
  await writeFile(options.out, report);
} finally {
  await gateway.stop();
  await shop.stop();
  await stopTestStores();
}
