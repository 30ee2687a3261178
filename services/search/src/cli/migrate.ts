import { createLogger, runCommand } from '@shop/runtime';
import { indexMigrations } from '../../migrations/index.js';
import { loadConfig } from '../config.js';
import { createElasticsearchClient } from '../storage/elasticsearch.js';
import { applyIndexMigrations } from '../storage/index-migration.js';

/* Applies the search index's pending mapping migrations behind its alias and exits (a search pod's init container). */
runCommand('search migrations', async () => {
  const config = loadConfig();
  const logger = createLogger('search', config.logLevel);
  const es = createElasticsearchClient(config.elasticsearchUrl, { tracing: config.traceElasticsearch });
  try {
    const index = await applyIndexMigrations(es, config.indexAlias, indexMigrations, logger);
    logger.info({ index: index.indexName, mappingVersion: index.mappingVersion, outdated: index.outdated }, 'index migrated');
  } finally {
    await es.close();
  }
});
