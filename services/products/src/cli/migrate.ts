import { createLogger, runCommand } from '@shop/runtime';
import { loadConfig } from '../config.js';
import { migrate } from '../storage/migrations.js';
import { MongoStore } from '../storage/mongo-store.js';

/* Applies the products database's pending migrations (collections, validators, indexes) and exits (a products pod's init container). */
runCommand('products migrations', async () => {
  const config = loadConfig();
  const logger = createLogger('products', config.logLevel);
  const store = await MongoStore.connect(config.mongoUrl);
  try {
    const applied = await migrate(store.db, logger);
    logger.info({ applied }, 'migrations applied');
  } finally {
    await store.close();
  }
});
