import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { ConfigError, createServiceClient } from '@shop/runtime';
import { loadRebuildConfig } from '../config.js';
import { projectionRebuild } from '../indexing/projection-rebuild.js';
import { createElasticsearchClient } from '../storage/elasticsearch.js';

const usage = `Rebuilds the search index from the products API into a new index and swaps the alias.

usage: node --import tsx services/search/src/cli/rebuild.ts [--products-addr host:port] [--elasticsearch-url url] [--alias name] [--page-size n]
Defaults come from PRODUCTS_ADDR, SEARCH_ELASTICSEARCH_URL and SEARCH_INDEX_ALIAS.`;

const { values } = parseArgs({
  options: {
    'products-addr': { type: 'string' },
    'elasticsearch-url': { type: 'string' },
    alias: { type: 'string' },
    'page-size': { type: 'string', default: '100' },
    help: { type: 'boolean', short: 'h' },
  },
});

async function main(): Promise<void> {
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const config = loadRebuildConfig({ PRODUCTS_ADDR: values['products-addr'], SEARCH_ELASTICSEARCH_URL: values['elasticsearch-url'], SEARCH_INDEX_ALIAS: values.alias });
  const pageSize = Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new ConfigError(`--page-size must be a positive integer, got ${values['page-size']}`);
  const es = createElasticsearchClient(config.SEARCH_ELASTICSEARCH_URL);
  const products = createServiceClient(ProductService, { name: 'products', address: config.PRODUCTS_ADDR, defaultTimeoutMs: 30_000 });
  const bar = new SingleBar({ format: 'rebuild {bar} {value}/{total} products' }, Presets.shades_classic);
  try {
    const outcome = await projectionRebuild(es, config.SEARCH_INDEX_ALIAS, products)(pageSize, (indexed, total) => {
      if (indexed === 0) bar.start(total ?? 0, 0);
      bar.setTotal(Math.max(total ?? 0, indexed));
      bar.update(indexed);
    });
    bar.stop();
    const previous = outcome.previousIndexName ? `, deleted ${outcome.previousIndexName}` : '';
    process.stdout.write(`${config.SEARCH_INDEX_ALIAS} -> ${outcome.indexName}: ${outcome.documentCount} products${previous}\n`);
  } finally {
    bar.stop();
    await es.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
