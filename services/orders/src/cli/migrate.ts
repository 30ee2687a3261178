import { createLogger, runCommand } from '@shop/runtime';
import { loadConfig } from '../config.js';
import { migrateOrdersDatabase } from '../storage/migrate.js';
import { closePools, openPools } from '../storage/pools.js';

/* Applies the orders database's pending migrations up to ORDERS_SCHEMA_TARGET and exits (an orders pod's init container). */
runCommand('orders migrations', async () => {
  const config = loadConfig();
  const logger = createLogger('orders', config.logLevel);
  const pools = openPools(config.databaseUrl, undefined, logger);
  try {
    const schemaVersion = await migrateOrdersDatabase(pools.primary, { target: config.schemaTarget });
    logger.info({ schemaVersion }, 'schema migrated');
  } finally {
    await closePools(pools);
  }
});
