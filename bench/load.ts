import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { createClient, type Client } from '@connectrpc/connect';
import type { DescService } from '@bufbuild/protobuf';
import { grpcTransport } from '@shop/runtime';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { GetProductRequestSchema, ProductService } from '@shop/gen/product/v1/product_service_pb';
import { SearchProductsRequestSchema, SearchService } from '@shop/gen/search/v1/search_service_pb';
import { GetCartRequestSchema, GetProductPageRequestSchema, SearchProductsRequestSchema as StorefrontSearchRequestSchema, StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { checkoutClosedLoop, flashSale, type FlashSaleOutcome } from './load/checkout.js';
import { shareChartPng } from './load/chart.js';
import { nodeClientRoundTripP50Ms, startEcho, startEchoChains } from './load/echo-process.js';
import { cpuByProcess, cpuPerCall, processCpuSeconds, untilQuiet } from './load/process-cpu.js';
import { h2load, type LoadFigures, type LoadShape, type UnaryTarget } from './load/h2load.js';
import { startSystem, waitForCatalogue } from './load/system.js';
import type { PhaseStats } from './support/stats.js';

const usage = `One run, everything side by side: the bare grpc-js unary echo (the ceiling), bare chains of processes with
the shapes of a direct search and of a product page and none of their work, direct products.GetProduct, the
gateway's GetProductPage, direct and gateway SearchProducts, the gateway's GetCart (h2load, gRPC-framed bodies), direct
search at 200 and at 2,000 products, and checkout as a Node closed loop over many products and as a flash sale.
Starts the system as npm start does (demo data) on its own ports. Needs h2load: bash scripts/setup.sh --with nghttp2-client
Every call is first loaded unmeasured for --warm-up seconds in the same shape, so the measured seconds (req/s, latency
and CPU per call over the same window) see the processes' optimised code rather than their first seconds of JIT compilation.
Usage: node --import tsx bench/load.ts [--seconds 5] [--warm-up 10] [--connections 4] [--streams 16] [--buyers 32]
       [--out bench/results/load.md] [--chart bench/results/load.png]`;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'warm-up': { type: 'string', default: '10' },
    connections: { type: 'string', default: '4' },
    streams: { type: 'string', default: '16' },
    buyers: { type: 'string', default: '32' },
    out: { type: 'string', default: 'bench/results/load.md' },
    chart: { type: 'string', default: 'bench/results/load.png' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const seconds = Number(values.seconds);
const warmUpSeconds = Number(values['warm-up']);
const loaded = { connections: Number(values.connections), streams: Number(values.streams), seconds, warmUpSeconds: 0 } satisfies LoadShape;
const warmUp = { ...loaded, seconds: warmUpSeconds } satisfies LoadShape;
const unloadedRequests = 200;
const unloaded: LoadShape = { connections: 1, streams: 1, requests: unloadedRequests };
const client = <S extends DescService>(service: S, address: string) => createClient(service, grpcTransport(address)) as Client<S>;
const bytes = <D extends DescMessage>(schema: D, init: MessageInitShape<D>) => toBinary(schema, create(schema, init));
const log = (line: string) => process.stderr.write(`load: ${line}\n`);

/** Unary targets measured loaded and unloaded, in table order. */
interface Row {
  readonly name: string;
  readonly loaded: LoadFigures;
  readonly unloaded: LoadFigures;
  /** CPU ms per call of each process under load, busiest first. */
  readonly cpu: Array<[string, number]>;
  /** How the call failed right after its load (then recovered), when it did: h2load sees only HTTP status, so answers under load may be gRPC errors. */
  readonly afterLoad?: string;
}

/** Waits until the call answers again (a breaker open under load closes after its cool-down); the last error when it does not. */
async function answersAgain(check: () => Promise<unknown>): Promise<string | undefined> {
  let failure: string | undefined;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 1000))) {
    try {
      await check();
      return failure;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
  }
  throw new Error(`the call still fails 30 s after its load: ${failure}`);
}

/**
 * Loads the target warm, then measured, then unloaded; CPU per call is of the stack's processes from 0.05 ms up, or of
 * each process `cpuOf` reads (the echo, the bare chains' links) from 0.005 ms up.
 */
async function measure(target: UnaryTarget, check: () => Promise<unknown>, cpuOf?: () => Map<string, number>): Promise<Row> {
  await check();
  log(`${target.name}…`);
  if (warmUpSeconds > 0) await h2load(target, warmUp);
  const readCpu = cpuOf ?? (() => cpuByProcess(system.pid));
  const before = readCpu();
  const underLoad = await h2load(target, loaded);
  const cpu = cpuPerCall(before, readCpu(), underLoad.requests, cpuOf ? 0.005 : 0.05);
  const row = { name: target.name, loaded: underLoad, unloaded: await h2load(target, unloaded), cpu };
  log(`${target.name}: ${JSON.stringify(row)}`);
  if (row.loaded.failed + row.unloaded.failed > 0) throw new Error(`${target.name}: ${row.loaded.failed + row.unloaded.failed} requests failed under h2load`);
  const afterLoad = await answersAgain(check);
  return afterLoad ? { ...row, afterLoad } : row;
}

async function seedProducts(products: Client<typeof ProductService>, count: number, stock: number, prefix: string): Promise<string[]> {
  const nouns = ['Shoe', 'Shirt', 'Jacket', 'Bag', 'Hat', 'Socks', 'Watch', 'Sunglasses'];
  const styles = ['Trail', 'Classic', 'Urban', 'Alpine', 'Coastal', 'Retro', 'Summit', 'Harbor', 'Meadow', 'Canyon'];
  const ids: string[] = [];
  for (let start = 0; start < count; start += 16) {
    const batch = Array.from({ length: Math.min(16, count - start) }, (_, offset) => start + offset);
    const created = await Promise.all(
      batch.map((index) =>
        products.createProduct({
          sku: `${prefix}-${index}`,
          name: `${styles[index % styles.length]} ${nouns[(index >> 2) % nouns.length]} ${prefix} ${index}`,
          description: `A ${styles[(index >> 1) % styles.length]!.toLowerCase()} bench item, number ${index}.`,
          categoryId: ['shoes', 'shirts', 'jackets', 'bags', 'hats', 'socks', 'watches', 'sunglasses'][index % 8]!,
          price: { amountMinor: BigInt(999 + (index % 40) * 250), currencyCode: 'EUR' },
          stock,
        }),
      ),
    );
    ids.push(...created.map(({ product }) => product!.id));
  }
  return ids;
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
const ms = (value: number) => value.toFixed(2);

const cpuLine = (name: string, cpu: Array<[string, number]>) => `| ${name} | ${cpu.map(([process, ms]) => `${process} ${ms.toFixed(2)}`).join(', ')} |`;

function report(rows: Row[], searchAt2000: Row, nodeHopMs: number, checkout: PhaseStats & { cpu: Array<[string, number]> }, sale: FlashSaleOutcome & { settle: { waitedMs: number; quiet: boolean } }, buyers: number): string {
  const echo = rows[0]!;
  const find = (name: string) => rows.find((row) => row.name === name)!;
  const direct = find('products.GetProduct, direct');
  const page = find('gateway GetProductPage');
  const search200 = find('search.SearchProducts, direct (200 products)');
  const pageShape = find(PAGE_SHAPE);
  const searchShape = find(SEARCH_SHAPE);
  const againstShape = (call: Row, shape: Row) =>
    `| ${call.name} | ${shape.name} | ${pct(call.loaded.requestsPerSecond / shape.loaded.requestsPerSecond)} | ${(call.unloaded.p50Ms / shape.unloaded.p50Ms).toFixed(1)}× | ${sumCpu(call).toFixed(2)} / ${sumCpu(shape).toFixed(2)} |`;
  const unary = [...rows, searchAt2000].map(
    (row) =>
      `| ${row.name} | ${Math.round(row.loaded.requestsPerSecond)} | ${pct(row.loaded.requestsPerSecond / echo.loaded.requestsPerSecond)} | ${ms(row.loaded.p50Ms)} | ${ms(row.loaded.p99Ms)} | ${ms(row.unloaded.p50Ms)} | ${(row.unloaded.p50Ms / echo.unloaded.p50Ms).toFixed(1)}× |`,
  );
  const saleAnswered = (sale.statuses.CONFIRMED ?? 0) + (sale.statuses.REJECTED ?? 0);
  const targets: Array<[string, string, boolean]> = [
    ['direct GetProduct ≥ 33 % of echo req/s', pct(direct.loaded.requestsPerSecond / echo.loaded.requestsPerSecond), direct.loaded.requestsPerSecond / echo.loaded.requestsPerSecond >= 0.33],
    ['gateway product page ≥ 50 % of direct GetProduct', pct(page.loaded.requestsPerSecond / direct.loaded.requestsPerSecond), page.loaded.requestsPerSecond / direct.loaded.requestsPerSecond >= 0.5],
    ['unloaded gateway-page p50 ≤ 5× echo p50', `${(page.unloaded.p50Ms / echo.unloaded.p50Ms).toFixed(1)}×`, page.unloaded.p50Ms / echo.unloaded.p50Ms <= 5],
    ['direct search ≥ 20 % of echo at 200 products', pct(search200.loaded.requestsPerSecond / echo.loaded.requestsPerSecond), search200.loaded.requestsPerSecond / echo.loaded.requestsPerSecond >= 0.2],
    ['direct search p50 grows < 2× at 10× catalogue (unloaded)', `${(searchAt2000.unloaded.p50Ms / search200.unloaded.p50Ms).toFixed(2)}×`, searchAt2000.unloaded.p50Ms / search200.unloaded.p50Ms < 2],
    ['checkout ≥ 1.5 % of echo with many products', pct(checkout.throughputPerSecond / echo.loaded.requestsPerSecond), checkout.throughputPerSecond / echo.loaded.requestsPerSecond >= 0.015],
    [`flash sale: all ${sale.buyers} CONFIRMED or REJECTED within the deadline`, `${saleAnswered} of ${sale.buyers} (${JSON.stringify(sale.statuses)}${Object.keys(sale.failures).length ? `, failed ${JSON.stringify(sale.failures)}` : ''})`, saleAnswered === sale.buyers],
    ['flash sale p99 ≤ 1 s', `${Math.round(sale.p99Ms)} ms`, sale.p99Ms <= 1000],
  ];
  return [
    '# Load against the transport\'s own ceiling',
    '',
    `Measured by \`node --import tsx bench/load.ts\` on ${new Date().toISOString().slice(0, 10)}, one run, on the system as \`npm start\` runs it (compiled services, demo data), on this 2-core machine shared with other work (load average at the start: ${loadAverage}).`,
    `Unary calls: h2load, ${loaded.connections} connections × ${loaded.streams} streams for ${loaded.seconds} s, each after ${warmUpSeconds} s of the same load unmeasured (CPU per call counts only the measured seconds), gRPC-framed bodies; "unloaded" is ${unloadedRequests} requests one at a time (1 connection × 1 stream), right after. Checkout: orders.CreateOrder from ${buyers} closed-loop callers in Node, one line each over ${checkoutProducts} products, for ${loaded.seconds * 2} s after ${warmUpSeconds} s of the same loop unmeasured.`,
    '',
    '| call | req/s | share of echo | p50 ms | p99 ms | unloaded p50 ms | unloaded p50 ÷ echo |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...unary,
    `| orders.CreateOrder, closed loop (${buyers} buyers) | ${Math.round(checkout.throughputPerSecond)} | ${pct(checkout.throughputPerSecond / echo.loaded.requestsPerSecond)} | ${ms(checkout.p50Ms)} | ${ms(checkout.p99Ms)} | | |`,
    `| flash sale: ${sale.buyers} buyers, ${sale.units} units, one product | | | ${ms(sale.p50Ms)} | ${ms(sale.p99Ms)} | | |`,
    '',
    `A hop between two Node processes costs more than the echo's unloaded figure: a bare @grpc/grpc-js client in the bench process, calling the echo one call at a time (2,000 calls after as many unmeasured), answers in p50 ${ms(nodeHopMs)} ms, ${(nodeHopMs / rows[0]!.unloaded.p50Ms).toFixed(1)}× the echo's unloaded p50 from h2load. An unloaded gateway page waits on at least two hops of its own one after the other (the gateway's gRPC call to search, then search's HTTP call to the Elasticsearch stand-in), besides the caller's.`,
    '',
    ...[...rows, searchAt2000].flatMap((row) => (row.afterLoad ? [`**${row.name}**: right after its load the call failed with "${row.afterLoad}" (then recovered), so part of its load figures are gRPC errors, not answers.`, ''] : [])),
    `Checkout failures: ${checkout.errors ? JSON.stringify(checkout.failures) : 'none'}. Flash sale: ${JSON.stringify(sale.statuses)}, slowest ${Math.round(sale.maxMs)} ms, deadline ${sale.deadlineMs} ms${Object.keys(sale.failures).length ? `, failed ${JSON.stringify(sale.failures)}` : ''}. ${
      sale.settle.quiet
        ? `The flash sale started once the stack had worked off the closed loop's events (under 0.25 cores for 0.5 s), ${(sale.settle.waitedMs / 1000).toFixed(1)} s after the closed loop and the hot product's seeding.`
        : `The stack was still busy ${(sale.settle.waitedMs / 1000).toFixed(1)} s after the closed loop (not under 0.25 cores for 0.5 s); the flash sale started anyway.`
    }`,
    '',
    "## Against the transport's ceiling for each call's shape",
    '',
    `The echo is one hop. A direct search is two (the caller's gRPC call, then search's HTTP call to the Elasticsearch stand-in), and a product page is the gateway's gRPC hop waiting on two more at once, one of which is search's two. The bare chains have those shapes and do none of the work: bare @grpc/grpc-js servers and clients and an undici HTTP pool (the Elasticsearch client's HTTP client) in one process per link, passing the request's bytes through (\`bench/load/echo-chain-server.ts\`).`,
    '',
    '| call | its bare shape | req/s, share of the shape | unloaded p50 ÷ the shape\'s | CPU ms per call, call (its processes from 0.05 ms up) / shape (all its links) |',
    '|---|---|--:|--:|--:|',
    againstShape(search200, searchShape),
    againstShape(page, pageShape),
    '',
    `So with no work at all the page's shape reaches ${pct(pageShape.loaded.requestsPerSecond / echo.loaded.requestsPerSecond)} of the echo's req/s and ${(pageShape.unloaded.p50Ms / echo.unloaded.p50Ms).toFixed(1)}× its unloaded p50; 50 % of direct GetProduct is ${pct((0.5 * direct.loaded.requestsPerSecond) / echo.loaded.requestsPerSecond)} of the echo. The search's shape reaches ${pct(searchShape.loaded.requestsPerSecond / echo.loaded.requestsPerSecond)} of the echo.`,
    '',
    '## Where the CPU goes under load',
    '',
    'CPU milliseconds used per call while the call was under load (from /proc/<pid>/stat; the bench process and h2load not included): by each process of the stack using 0.05 ms or more, and by each process of the echo and of the bare chains the call reaches (0.005 ms or more). On 2 cores, a process near 1000 ms ÷ (req/s) per call is the bottleneck.',
    '',
    '| call | CPU ms per call, by process |',
    '|---|---|',
    ...[...rows, searchAt2000].map((row) => cpuLine(row.name, row.cpu)),
    cpuLine('orders.CreateOrder, closed loop', checkout.cpu),
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets.map(([target, measured, met]) => `| ${target} | ${measured} | ${met ? 'yes' : 'no'} |`),
    '',
    '![throughput as a share of the echo](load.png)',
    '',
  ].join('\n');
}

const loadAverage = (await import('node:os')).loadavg().map((value) => value.toFixed(1)).join(' / ');
const checkoutProducts = 1800;
const SEARCH_SHAPE = 'bare chain shaped like a direct search (gRPC, then HTTP; no work)';
const PAGE_SHAPE = 'bare chain shaped like a product page (gRPC, then gRPC and the search shape at once; no work)';
const sumCpu = (row: Row) => row.cpu.reduce((sum, [, ms]) => sum + ms, 0);
const system = await startSystem();
const echo = await startEcho();
const chains = await startEchoChains();
try {
  const products = client(ProductService, system.address('products'));
  const search = client(SearchService, system.address('search'));
  const storefront = client(StorefrontService, system.address('gateway'));
  const users = client(UserService, system.address('users'));
  const orders = client(OrderService, system.address('orders'));
  const { products: catalogue } = await products.listProducts({ categoryId: 'shoes', pageSize: 20 });
  const productId = catalogue.find((product) => product.stock > 0)!.id;
  const demoUser = (await users.listUsers({ pageSize: 1 })).users[0]!;
  for (const product of catalogue.filter((p) => p.stock > 0).slice(0, 3)) await client(CartService, system.address('cart')).addItem({ userId: demoUser.id, productId: product.id, quantity: 1 });
  const { TokenAuthority } = await import('../services/gateway/src/auth/jwt.js');
  const token = await new TokenAuthority(system.jwtSecret, 'shop-gateway').mint({ userId: demoUser.id, roles: [] });
  const searchQuery = { query: 'classic shoe', pageSize: 20 };
  await waitForCatalogue(search, 200n, log);
  const target = (name: string, address: string, path: string, message: Uint8Array, headers?: Record<string, string>): UnaryTarget => ({ name, address, path, message, ...(headers ? { headers } : {}) });
  const productMessage = bytes(GetProductRequestSchema, { id: productId });
  const searchMessage = bytes(SearchProductsRequestSchema, searchQuery);
  const rows: Row[] = [
    await measure(target('echo (bare grpc-js unary, the ceiling)', echo.address, '/bench.v1.EchoService/Echo', productMessage), async () => undefined, () => new Map([['echo', processCpuSeconds(echo.pid)]])),
    await measure(target(SEARCH_SHAPE, chains.searchShaped, '/bench.v1.EchoService/Echo', searchMessage), async () => undefined, chains.cpuByLink),
    await measure(target(PAGE_SHAPE, chains.pageShaped, '/bench.v1.EchoService/Echo', productMessage), async () => undefined, chains.cpuByLink),
    await measure(target('products.GetProduct, direct', system.address('products'), '/shop.product.v1.ProductService/GetProduct', productMessage), () => products.getProduct({ id: productId })),
    await measure(target('gateway GetProductPage', system.address('gateway'), '/shop.storefront.v1.StorefrontService/GetProductPage', bytes(GetProductPageRequestSchema, { productId })), () => storefront.getProductPage({ productId })),
    await measure(target('search.SearchProducts, direct (200 products)', system.address('search'), '/shop.search.v1.SearchService/SearchProducts', searchMessage), () => search.searchProducts(searchQuery)),
    await measure(target('gateway SearchProducts', system.address('gateway'), '/shop.storefront.v1.StorefrontService/SearchProducts', bytes(StorefrontSearchRequestSchema, searchQuery)), () => storefront.searchProducts(searchQuery)),
    await measure(
      target('gateway GetCart', system.address('gateway'), '/shop.storefront.v1.StorefrontService/GetCart', bytes(GetCartRequestSchema, {}), { authorization: `Bearer ${token}` }),
      () => storefront.getCart({}, { headers: { authorization: `Bearer ${token}` } }),
    ),
  ];
  const nodeHopMs = await nodeClientRoundTripP50Ms(echo.address);
  log(`seeding ${checkoutProducts} more products (2,000 in all)…`);
  const checkoutIds = await seedProducts(products, checkoutProducts, 1_000_000, 'LOAD');
  await waitForCatalogue(search, 2000n, log);
  const searchAt2000 = await measure(target('search.SearchProducts, direct (2,000 products)', system.address('search'), '/shop.search.v1.SearchService/SearchProducts', searchMessage), () => search.searchProducts(searchQuery));
  const customerIds: string[] = [];
  for (let index = 0; index < 50; index += 1) {
    const { user } = await users.createUser({ email: `buyer-${index}-${Date.now()}@bench.shop.example`, displayName: `Buyer ${index}`, address: { line1: '1 Bench Street', line2: '10000 Loadtown', line3: 'Benchland' } });
    customerIds.push(user!.id);
  }
  const buyers = Number(values.buyers);
  log(`checkout, ${buyers} buyers…`);
  if (warmUpSeconds > 0) await checkoutClosedLoop(orders, { customerIds, productIds: checkoutIds }, buyers, warmUpSeconds);
  const beforeCheckout = cpuByProcess(system.pid);
  const checkoutStats = await checkoutClosedLoop(orders, { customerIds, productIds: checkoutIds }, buyers, seconds * 2);
  const checkout = { ...checkoutStats, cpu: cpuPerCall(beforeCheckout, cpuByProcess(system.pid), checkoutStats.calls) };
  log(`checkout: ${JSON.stringify(checkout, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value))}`);
  log('flash sale…');
  const [hot] = await seedProducts(products, 1, 20, `FLASH-${Date.now()}`);
  const settle = await untilQuiet(system.pid);
  log(`the stack ${settle.quiet ? 'was quiet' : 'was still busy'} after ${settle.waitedMs} ms`);
  const sale = { ...(await flashSale(orders, customerIds, hot!, 20, 200, 5_000)), settle };
  const text = report(rows, searchAt2000, nodeHopMs, checkout, sale, buyers);
  console.log(text);
  await writeFile(values.out!, text);
  const echoRate = rows[0]!.loaded.requestsPerSecond;
  const targetsByName: Record<string, number> = { 'products.GetProduct, direct': 33, 'search.SearchProducts, direct (200 products)': 20 };
  const bars = [...rows, searchAt2000].map((row) => ({ call: row.name, sharePercent: (row.loaded.requestsPerSecond / echoRate) * 100, ...(targetsByName[row.name] ? { targetPercent: targetsByName[row.name] } : {}) }));
  bars.push({ call: `orders.CreateOrder (${buyers} buyers)`, sharePercent: (checkout.throughputPerSecond / echoRate) * 100, targetPercent: 1.5 });
  await writeFile(values.chart!, await shareChartPng(bars));
} finally {
  await chains.stop();
  await echo.stop();
  await system.stop();
}
