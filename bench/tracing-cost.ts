import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { grpcTransport } from '@shop/runtime';
import { startServiceProcess, testStores, uniqueName, type ServiceProcess } from '@shop/testkit';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { startOtlpReceiver } from '../infra/launcher/src/tracing/otlp-receiver.js';
import { readSpans } from '../infra/launcher/src/tracing/span-file.js';
import { startTestStores, stopTestStores } from '../test/test-stores.js';
import type { Operation } from './support/closed-loop.js';
import type { PhaseStats } from './support/stats.js';
import { roundsOptions, runRounds } from './support/rounds.js';

const usage = `Measures what tracing costs: products GetProduct and the gateway's product page (products + search) against
two copies of products, search and the gateway, one with tracing off (no OTEL_* variable) and one tracing every call
(100 % sampled, exporting by OTLP/HTTP protobuf to a local receiver), all four loads running at once.
Usage: node --import tsx bench/tracing-cost.ts [--seconds 5] [--rounds 3] [--callers 2] [--out bench/results/tracing-cost.md]`;

const options = roundsOptions(usage, 'bench/results/tracing-cost.md');
const client = <S extends Parameters<typeof createClient>[0]>(service: S, address: string) => createClient(service, grpcTransport(address)) as Client<S>;

/** products, search and a gateway over them, with the given extra environment. */
async function startSystem(env: Record<string, string>): Promise<{ products: ServiceProcess; gateway: ServiceProcess; stop(): Promise<void> }> {
  const stores = testStores();
  const namespace = uniqueName('bench').replace(/-/g, '_');
  const common = { ...env, NATS_URL: stores.natsUrl, EVENTS_NAMESPACE: namespace };
  const started: ServiceProcess[] = [];
  const start = async (name: string, own: Record<string, string>) => {
    const process = await startServiceProcess(name, { ...common, ...own }, 120_000);
    started.push(process);
    return process;
  };
  const stop = async () => {
    for (const process of started.reverse()) await process.stop();
  };
  try {
    const products = await start('products', { PRODUCTS_PORT: '0', PRODUCTS_MONGO_URL: `${stores.mongoUrl.replace(/\/$/, '')}/${namespace}` });
    const search = await start('search', { SEARCH_PORT: '0', SEARCH_ELASTICSEARCH_URL: stores.elasticsearchUrl, SEARCH_INDEX_ALIAS: namespace, PRODUCTS_ADDR: products.address });
    const gateway = await start('gateway', {
      GATEWAY_GRPC_PORT: '0',
      GATEWAY_HTTP_PORT: '0',
      GATEWAY_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      PRODUCTS_ADDR: products.address,
      SEARCH_ADDR: search.address,
      ORDERS_ADDR: '127.0.0.1:1',
      USERS_ADDR: '127.0.0.1:1',
      CART_ADDR: '127.0.0.1:1',
    });
    return { products, gateway, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function seed(products: Client<typeof ProductService>): Promise<string[]> {
  const category = uniqueName('cat').toLowerCase();
  const ids: string[] = [];
  for (let index = 0; index < 20; index += 1) {
    const { product } = await products.createProduct({ sku: uniqueName('b'), name: `Bench Boot ${index}`, description: 'A sturdy bench boot', categoryId: category, price: { amountMinor: BigInt(1000 + index), currencyCode: 'EUR' }, stock: 50 });
    ids.push(product!.id);
  }
  return ids;
}

await startTestStores();
const dataDir = await mkdtemp(join(tmpdir(), 'shop-tracing-bench-'));
const receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, dataDir });
const off = await startSystem({});
const on = await startSystem({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_TRACES_SAMPLER: 'always_on', OTEL_METRICS_EXPORTER: 'none' });
try {
  const callers = options.callers;
  const operations: Operation[] = [];
  for (const [mode, system] of [['off', off], ['on', on]] as const) {
    const products = client(ProductService, system.products.address);
    const storefront = client(StorefrontService, system.gateway.address);
    const ids = await seed(products);
    let next = 0;
    const pick = () => ids[(next = (next + 1) % ids.length)]!;
    operations.push({ name: `GetProduct, tracing ${mode}`, callers, call: () => products.getProduct({ id: pick() }) });
    operations.push({ name: `product page, tracing ${mode}`, callers, call: () => storefront.getProductPage({ productId: pick() }) });
  }
  const stats = await runRounds(operations, options);
  const spans = (await readSpans(receiver.spansFile)).length;
  const row = (what: string, traced: PhaseStats, plain: PhaseStats) =>
    `| ${what} | ${plain.throughputPerSecond.toFixed(0)} / ${traced.throughputPerSecond.toFixed(0)} | **${(traced.throughputPerSecond / plain.throughputPerSecond).toFixed(2)}** | ${plain.p50Ms.toFixed(1)} / ${traced.p50Ms.toFixed(1)} | ${(traced.p99Ms / plain.p99Ms).toFixed(2)}× | ${traced.errors + plain.errors} |`;
  const report = [
    '# Tracing on against tracing off',
    '',
    `Measured by \`node --import tsx bench/tracing-cost.ts\` on ${new Date().toISOString().slice(0, 10)}: two copies of products, search and the gateway on the same test stores, one started with no OTEL_* variable (the SDK is not loaded) and one tracing every call (\`OTEL_TRACES_SAMPLER=always_on\`, exported by OTLP/HTTP protobuf to a local receiver that stores every export and decodes it when read), ${callers} closed-loop callers per operation, all four operations at once, ${options.rounds} rounds of ${options.seconds} s. The receiver runs in the benchmark process. ${spans} spans were received. Goal: throughput ratio at least 0.85.`,
    '',
    '| operation | calls/s, off / on | throughput ratio on/off | p50 ms, off / on | p99 ratio | failed calls |',
    '|---|---|--:|---|--:|--:|',
    row('products GetProduct (direct)', stats.get('GetProduct, tracing on')!, stats.get('GetProduct, tracing off')!),
    row('gateway product page (products + search)', stats.get('product page, tracing on')!, stats.get('product page, tracing off')!),
    '',
  ].join('\n');
  console.log(report);
  await writeFile(options.out, report);
} finally {
  await on.stop();
  await off.stop();
  await receiver.close();
  await rm(dataDir, { recursive: true, force: true });
  await stopTestStores();
}
