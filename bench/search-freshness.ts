import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { createServiceClient } from '@shop/runtime';

const USAGE = `Search freshness: time from UpdateProduct on products until SearchProducts finds the new name.
Needs products and search running (npm start).

Usage: node --import tsx bench/search-freshness.ts [options]

  --products-addr <host:port>  products service (default 127.0.0.1:20051)
  --search-addr <host:port>    search service (default 127.0.0.1:20055)
  --updates <n>                updates of one probe product (default 50)
  --timeout-ms <n>             how long to wait for one change to become searchable (default 30000)
  -h, --help                   show this help
`;

const { values } = parseArgs({
  options: {
    'products-addr': { type: 'string', default: '127.0.0.1:20051' },
    'search-addr': { type: 'string', default: '127.0.0.1:20055' },
    updates: { type: 'string', default: '50' },
    'timeout-ms': { type: 'string', default: '30000' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const products = createServiceClient(ProductService, { name: 'products', address: values['products-addr'] });
const search = createServiceClient(SearchService, { name: 'search', address: values['search-addr'] });
const timeoutMs = Number(values['timeout-ms']);

const word = () => `fresh${randomBytes(5).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds from `since` until a search for the word finds the product under that name. */
async function visibleAfter(productId: string, name: string, query: string, since: number): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    const { hits } = await search.searchProducts({ query, pageSize: 5 });
    if (hits.some((hit) => hit.productId === productId && hit.name === name)) return performance.now() - since;
    await sleep(2);
  }
  throw new Error(`"${name}" not searchable within ${timeoutMs} ms`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(updates: number): Promise<number[]> {
  const first = word();
  const { product } = await products.createProduct({ sku: `bench-${first}`, name: `Probe ${first}`, categoryId: 'bench', price: { amountMinor: 100n, currencyCode: 'EUR' }, stock: 1 });
  const id = product!.id;
  try {
    await visibleAfter(id, `Probe ${first}`, first, performance.now());
    const lags: number[] = [];
    for (let n = 0; n < updates; n += 1) {
      const next = word();
      const started = performance.now();
      await products.updateProduct({ product: { id, name: `Probe ${next}` }, updateMask: { paths: ['name'] } });
      lags.push(await visibleAfter(id, `Probe ${next}`, next, started));
    }
    return lags;
  } finally {
    await products.deleteProduct({ id });
  }
}

const lags = (await measure(Number(values.updates))).sort((a, b) => a - b);
const format = (ms: number) => ms.toFixed(1);
process.stdout.write(
  [
    `Search freshness: UpdateProduct on products → change visible in SearchProducts (${lags.length} updates)`,
    '',
    '| updates | p50 ms | p99 ms | max ms |',
    '|--------:|-------:|-------:|-------:|',
    `| ${lags.length} | ${format(percentile(lags, 50))} | ${format(percentile(lags, 99))} | ${format(lags.at(-1) ?? NaN)} |`,
    '',
  ].join('\n'),
);
