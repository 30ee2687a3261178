/**
 * The ES stand-in's query execution alone, with no HTTP and no client: the shop catalogue (test/shop-catalogue.ts) at
 * 200 and 2,000 products is written through the stand-in's server, then the data folder is opened as a cluster in this
 * process and the search service's own search bodies are parsed, executed and serialised as the server does, in a loop.
 * Prints CPU microseconds per search (the process's user + system time over the loop) and the reply size.
 * Usage: ./scripts/node.sh --import tsx services/search/bench/query-execution.ts [--rounds 2000] [--cpu-prof]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Cluster } from '../../../infra/es-standin/src/store/cluster.js';
import { executeSearch } from '../../../infra/es-standin/src/search/execute.js';
import { parseSearchRequest } from '../../../infra/es-standin/src/search/search-request.js';
import { startEsStandin } from '@shop/es-standin';
import { createLogger } from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import type { IndexedProduct } from '../src/domain/indexed-product.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { applyIndexMigrations } from '../src/storage/index-migration.js';
import { toSource } from '../src/storage/product-source.js';
import { searchBody } from '../src/storage/search-query.js';
import { demoCatalogue, laterSnapshots, loadCatalogue, shopperSearches } from '../test/shop-catalogue.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2000' } } });
const rounds = Number(values.rounds);

async function catalogueFolder(products: readonly IndexedProduct[]): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'query-execution-'));
  const standin = await startEsStandin({ port: 0, dataDir, log: () => undefined });
  const es = createElasticsearchClient(standin.url);
  try {
    await applyIndexMigrations(es, 'products', indexMigrations, createLogger('query-execution', 'silent'));
    const operations = [...products, ...laterSnapshots(products)].flatMap((product) => [
      { index: { _index: 'products', _id: product.productId, version: Number(product.version), version_type: 'external' as const } },
      toSource(product),
    ]);
    await es.bulk({ operations, refresh: true });
  } finally {
    await es.close();
    await standin.close();
  }
  return dataDir;
}

function cpuMicrosPerSearch(cluster: Cluster, body: Record<string, unknown>): { micros: number; bytes: number; total: unknown } {
  const request = JSON.stringify(body);
  const run = () => JSON.stringify(executeSearch(cluster, 'products', parseSearchRequest(JSON.parse(request) as Record<string, unknown>, new URLSearchParams())));
  const started = process.cpuUsage();
  let text = '';
  for (let round = 0; round < rounds; round += 1) text = run();
  const used = process.cpuUsage(started);
  return { micros: (used.user + used.system) / rounds, bytes: Buffer.byteLength(text), total: (JSON.parse(text) as { hits: { total: { value: number } } }).hits.total.value };
}

const demo = demoCatalogue();
const rows = new Map<string, string[]>();
for (const products of [demo, [...demo, ...loadCatalogue(1800)]]) {
  const dataDir = await catalogueFolder(products);
  const cluster = await Cluster.open(dataDir);
  try {
    for (const { criteria } of shopperSearches) cpuMicrosPerSearch(cluster, searchBody(criteria, 'products') as Record<string, unknown>);
    for (const { name, criteria } of shopperSearches) {
      const { micros, bytes, total } = cpuMicrosPerSearch(cluster, searchBody(criteria, 'products') as Record<string, unknown>);
      rows.set(name, [...(rows.get(name) ?? []), `${micros.toFixed(0)} (${String(total)} hits, ${(bytes / 1024).toFixed(1)} KiB)`]);
    }
  } finally {
    await cluster.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log('| search | 200 products: CPU µs per search | 2,000 products: CPU µs per search |');
console.log('|---|--:|--:|');
for (const [name, cells] of rows) console.log(`| ${name} | ${cells.join(' | ')} |`);
