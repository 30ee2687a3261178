import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError } from '@shop/runtime';
import { latestIndexMigration } from '../../migrations/index.js';
import { loadRebuildConfig } from '../config.js';
import { projectionRebuild } from '../domain/rebuild.js';
import { ProductsApiCatalog } from '../peers/products-catalog.js';
import { productsClient } from '../peers/products-client.js';
import { createElasticsearchClient } from '../storage/elasticsearch.js';
import { EsIndexBuilder } from '../storage/index-builder.js';

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
  const es = createElasticsearchClient(config.elasticsearchUrl, { tracing: config.traceElasticsearch });
  const rebuild = projectionRebuild(new ProductsApiCatalog(productsClient(config.productsAddress, 30_000)), new EsIndexBuilder(es, config.indexAlias, latestIndexMigration));
  const bar = new SingleBar({ format: 'rebuild {bar} {value}/{total} products' }, Presets.shades_classic);
  try {
    const outcome = await rebuild(pageSize, (indexed, total) => {
      if (indexed === 0) bar.start(total ?? 0, 0);
      bar.setTotal(Math.max(total ?? 0, indexed));
      bar.update(indexed);
    });
    bar.stop();
    const previous = outcome.previousIndexName ? `, deleted ${outcome.previousIndexName}` : '';
    process.stdout.write(`${config.indexAlias} -> ${outcome.indexName}: ${outcome.documentCount} products${previous}\n`);
  } finally {
    bar.stop();
    await es.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
