import { pathToFileURL } from 'node:url';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import {
  bindService,
  connectEventBus,
  createLogger,
  createServiceClient,
  runService,
  startEventConsumer,
  startGrpcServer,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import { searchServiceImpl } from './api/search-service.js';
import { loadConfig, type SearchConfig } from './config.js';
import { productEventHandler } from './indexing/product-events.js';
import { projectionRebuild } from './indexing/projection-rebuild.js';
import { createElasticsearchClient } from './storage/elasticsearch.js';
import { applyIndexMigrations } from './storage/index-migration.js';
import { EsProductSearch } from './storage/product-search.js';
import { EsProductWriter } from './storage/product-writer.js';

/** Starts the search service: Elasticsearch index migrations, the products event indexer and the gRPC server. */
export async function startSearch(config: SearchConfig, logger: Logger = createLogger('search', config.LOG_LEVEL)): Promise<RunningServer> {
  const alias = config.SEARCH_INDEX_ALIAS;
  const es = createElasticsearchClient(config.SEARCH_ELASTICSEARCH_URL);
  const index = await applyIndexMigrations(es, alias, indexMigrations, logger);
  if (index.outdated) logger.warn({ index: index.indexName, mappingVersion: index.mappingVersion }, 'the index has an older mapping: run the rebuild');
  const products = createServiceClient(ProductService, { name: 'products', address: config.PRODUCTS_ADDR });
  const bus = await connectEventBus(config.NATS_URL, 'search', config.EVENTS_NAMESPACE);
  const handle = productEventHandler(new EsProductWriter(es, alias), logger);
  const consumer = await startEventConsumer({ bus, source: 'products', durable: 'search-indexer', handle, logger });
  const impl = searchServiceImpl({ search: new EsProductSearch(es, alias), rebuild: projectionRebuild(es, alias, products) });
  return startGrpcServer({
    services: [bindService(SearchService, impl)],
    logger,
    host: config.SEARCH_HOST,
    port: config.SEARCH_PORT,
    healthChecks: {
      elasticsearch: async () => {
        await es.ping();
      },
    },
    resources: [
      { name: 'elasticsearch', close: () => es.close() },
      { name: 'nats', close: () => bus.close() },
      { name: 'product-event-consumer', close: () => consumer.stop() },
    ],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runService(async () => startSearch(loadConfig()));
