/**
 * What the filtered search reply saves: the ES stand-in in this process (from source) over the demo catalogue (or
 * 2,000 products with --large), searched through the service's own client and search body, with and without the
 * service's `filter_path`, in alternating blocks. Prints the reply bytes and the CPU microseconds per search of this
 * process (stand-in, client and reply conversion together), the minimum over the blocks, which machine load inflates
 * least. --root <dir> also runs the stand-in source of another checkout (its full reply), for before/after pairs.
 * Usage: ./scripts/node.sh --import tsx services/search/bench/reply-filter.ts [--blocks 8] [--calls 400] [--large] [--root <dir>]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { startEsStandin, type EsStandin } from '@shop/es-standin';
import { createLogger } from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import type { IndexedProduct } from '../src/domain/indexed-product.js';
import type { SearchCriteria } from '../src/domain/search.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { applyIndexMigrations } from '../src/storage/index-migration.js';
import { toSource } from '../src/storage/product-source.js';
import { searchBody, searchResponseFilter } from '../src/storage/search-query.js';
import { searchResult } from '../src/storage/search-results.js';
import { demoCatalogue, laterSnapshots, loadCatalogue } from '../test/shop-catalogue.js';

const { values } = parseArgs({ options: { blocks: { type: 'string', default: '8' }, calls: { type: 'string', default: '400' }, large: { type: 'boolean', default: false }, root: { type: 'string' } } });
const blocks = Number(values.blocks);
const calls = Number(values.calls);
const work = mkdtempSync(join(tmpdir(), 'reply-filter-'));
const searches: Record<string, SearchCriteria> = {
  'text search': { query: 'classic shoe', categoryIds: [], inStockOnly: false, pageSize: 20 },
  'related products': { query: '', categoryIds: [], inStockOnly: false, pageSize: 8, relatedToProductId: 'demo-shoes-3' },
};

async function open(name: string, start: typeof startEsStandin): Promise<{ standin: EsStandin; es: Client }> {
  const standin = await start({ port: 0, dataDir: join(work, name), log: () => undefined });
  const es = createElasticsearchClient(standin.url);
  await applyIndexMigrations(es, 'products', indexMigrations, createLogger('reply-filter', 'silent'));
  const products: IndexedProduct[] = [...demoCatalogue(), ...(values.large ? loadCatalogue(1800) : [])];
  const operations = [...products, ...laterSnapshots(products)].flatMap((product) => [
    { index: { _index: 'products', _id: product.productId, version: Number(product.version), version_type: 'external' as const } },
    toSource(product),
  ]);
  await es.bulk({ operations, refresh: true });
  return { standin, es };
}

const stores = [{ name: 'this checkout', ...(await open('this', startEsStandin)) }];
if (values.root) {
  const other = (await import(resolve(values.root, 'infra/es-standin/src/index.ts'))) as { startEsStandin: typeof startEsStandin };
  stores.push({ name: 'other checkout', ...(await open('other', other.startEsStandin)) });
}
const variants = stores.flatMap((store) => [
  { name: `${store.name}, full reply`, es: store.es, filterPath: undefined as string | undefined },
  ...(store.name === 'this checkout' ? [{ name: `${store.name}, filtered reply`, es: store.es, filterPath: searchResponseFilter }] : []),
]);

async function block(es: Client, criteria: SearchCriteria, filterPath: string | undefined): Promise<number> {
  const request = { index: 'products', ...(filterPath ? { filter_path: filterPath } : {}), ...searchBody(criteria, 'products') };
  const started = process.cpuUsage();
  for (let call = 0; call < calls; call++) searchResult(await es.search(request), criteria);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
}

try {
  console.log('| search | variant | reply bytes | CPU µs per search (min of blocks) | median |');
  console.log('|---|---|--:|--:|--:|');
  for (const [name, criteria] of Object.entries(searches)) {
    const samples = new Map(variants.map((variant) => [variant.name, [] as number[]]));
    for (const variant of variants) await block(variant.es, criteria, variant.filterPath);
    for (let round = 0; round < blocks; round++) {
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) samples.get(variant.name)!.push(await block(variant.es, criteria, variant.filterPath));
    }
    for (const variant of variants) {
      const reply = await variant.es.search({ index: 'products', ...(variant.filterPath ? { filter_path: variant.filterPath } : {}), ...searchBody(criteria, 'products') });
      const sorted = samples.get(variant.name)!.sort((a, b) => a - b);
      console.log(`| ${name} | ${variant.name} | ${JSON.stringify(reply).length.toLocaleString('en')} | ${sorted[0]!.toFixed(0)} | ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} |`);
    }
  }
} finally {
  for (const store of stores) {
    await store.es.close();
    await store.standin.close();
  }
  rmSync(work, { recursive: true, force: true });
}
