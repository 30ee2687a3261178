import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import {
  bindService,
  createLogger,
  isEntryPoint,
  ResourceStack,
  runService,
  startBackgroundConsumer,
  startGrpcServer,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { indexMigrations, latestIndexMigration } from '../migrations/index.js';
import { searchServiceImpl } from './api/search-service.js';
import { loadConfig, type SearchConfig } from './config.js';
import { projectionRebuild } from './domain/rebuild.js';
import { productEventsHandler } from './events/inbound/product-events.js';
import { ProductsApiCatalog } from './peers/products-catalog.js';
import { productsClient } from './peers/products-client.js';
import { createElasticsearchClient } from './storage/elasticsearch.js';
import { EsIndexBuilder } from './storage/index-builder.js';
import { applyIndexMigrations } from './storage/index-migration.js';
import { EsProductSearch } from './storage/product-search.js';
import { EsProductWriter } from './storage/product-writer.js';
import { elasticsearchOutage } from './storage/store-outage.js';

/** Extra options of startSearch, for tests. */
export interface SearchOptions {
  readonly logger?: Logger;
  readonly healthIntervalMs?: number;
}

/** Starts the search service: Elasticsearch index migrations, the products event indexer (connecting in the background) and the gRPC server. */
export function startSearch(config: SearchConfig, options: SearchOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('search', config.logLevel);
  const alias = config.indexAlias;
  return new ResourceStack().guard(async (stack) => {
    const es = stack.use('elasticsearch', createElasticsearchClient(config.elasticsearchUrl, { tracing: config.traceElasticsearch }), (client) => client.close());
    const index = await applyIndexMigrations(es, alias, indexMigrations, logger);
    if (index.outdated) logger.warn({ index: index.indexName, mappingVersion: index.mappingVersion }, 'the index has an older mapping: run the rebuild');
    const products = productsClient(config.productsAddress);
    const handle = productEventsHandler(new EsProductWriter(es, alias), logger);
    const batch = { ...config.eventBatches, handle };
    const consuming = startBackgroundConsumer({ natsUrl: config.natsUrl, namespace: config.eventsNamespace, service: 'search', batch, logger });
    stack.use('product-event-consumer', consuming, (consumer) => consumer.close());
    const rebuild = projectionRebuild(new ProductsApiCatalog(products), new EsIndexBuilder(es, alias, latestIndexMigration));
    return startGrpcServer({
      services: [bindService(SearchService, searchServiceImpl({ search: new EsProductSearch(es, alias), rebuild }))],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { elasticsearch: async () => void (await es.ping()) },
      storeOutages: [elasticsearchOutage],
      ...(options.healthIntervalMs ? { healthIntervalMs: options.healthIntervalMs } : {}),
      resources: stack.entries,
    });
  });
}

if (isEntryPoint(import.meta.url)) runService(() => startSearch(loadConfig()));
