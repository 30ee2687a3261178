/**
 * The ES stand-in alone under the search service's query: the stand-in in this process (from source, as the tests run
 * it) over the shop catalogue at 200 and 2,000 products, searched through the official client with the service's own
 * search body, one search at a time. Prints wall p50 and the CPU milliseconds per search of this process (client and
 * stand-in together), which machine load inflates far less than wall time.
 * Usage: ./scripts/node.sh --import tsx services/search/bench/standin-search.ts [--rounds 400]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEsStandin } from '@shop/es-standin';
import { createLogger } from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import type { IndexedProduct } from '../src/domain/indexed-product.js';
import type { SearchCriteria } from '../src/domain/search.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { applyIndexMigrations } from '../src/storage/index-migration.js';
import { toSource } from '../src/storage/product-source.js';
import { searchBody } from '../src/storage/search-query.js';
import { demoCatalogue, laterSnapshots, loadCatalogue, shopperSearches } from '../test/shop-catalogue.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '400' } } });
const rounds = Number(values.rounds);
const dataDir = mkdtempSync(join(tmpdir(), 'standin-search-'));
const standin = await startEsStandin({ port: 0, dataDir, log: () => undefined });
const es = createElasticsearchClient(standin.url);
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

async function write(products: readonly IndexedProduct[]): Promise<void> {
  const operations = [...products, ...laterSnapshots(products)].flatMap((product) => [
    { index: { _index: 'products', _id: product.productId, version: Number(product.version), version_type: 'external' as const } },
    toSource(product),
  ]);
  await es.bulk({ operations, refresh: true });
}

async function measure(criteria: SearchCriteria): Promise<{ wall: number; cpu: number; total: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  let total = 0;
  for (let round = 0; round < rounds + 50; round += 1) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const response = await es.search({ index: 'products', ...searchBody(criteria, 'products') });
    const used = process.cpuUsage(cpu);
    if (round < 50) continue;
    walls.push(Number(process.hrtime.bigint() - started) / 1e6);
    cpus.push((used.user + used.system) / 1000);
    total = typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
  }
  return { wall: median(walls), cpu: median(cpus), total };
}

const cases = shopperSearches.slice(0, 5);
const results = new Map<string, string[]>();
try {
  await applyIndexMigrations(es, 'products', indexMigrations, createLogger('standin-search', 'silent'));
  await write(demoCatalogue());
  for (const { name, criteria } of cases) {
    const { wall, cpu, total } = await measure(criteria);
    results.set(name, [`${wall.toFixed(2)} / ${cpu.toFixed(2)} (${total})`]);
  }
  await write(loadCatalogue(1800));
  for (const { name, criteria } of cases) {
    const { wall, cpu, total } = await measure(criteria);
    results.get(name)!.push(`${wall.toFixed(2)} / ${cpu.toFixed(2)} (${total})`);
  }
} finally {
  await es.close();
  await standin.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log('| search | 200 products: wall p50 / CPU p50 ms (hits) | 2,000 products: wall p50 / CPU p50 ms (hits) |');
console.log('|---|--:|--:|');
for (const [name, cells] of results) console.log(`| ${name} | ${cells.join(' | ')} |`);
