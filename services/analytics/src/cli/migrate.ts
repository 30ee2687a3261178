import { createLogger, runCommand } from '@shop/runtime';
import { loadConfig } from '../config.js';
import { openAnalyticsDatabase } from '../storage/duckdb.js';
import { migrateAnalyticsDatabase } from '../storage/migrate.js';

/* Applies the analytics DuckDB file's pending migrations and exits (an analytics pod's init container). */
runCommand('analytics migrations', async () => {
  const config = loadConfig();
  const logger = createLogger('analytics', config.logLevel);
  const database = await openAnalyticsDatabase(config.duckdbPath, { threads: config.duckdbThreads });
  try {
    logger.info({ schemaVersion: await migrateAnalyticsDatabase(database) }, 'schema migrated');
  } finally {
    database.close();
  }
});
