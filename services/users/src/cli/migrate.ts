import { createLogger, runCommand } from '@shop/runtime';
import { loadConfig } from '../config.js';
import { migrateUsersDatabase } from '../storage/migrate.js';
import { openUsersPool } from '../storage/pool.js';

/* Applies the users database's pending migrations and exits (a users pod's init container). */
runCommand('users migrations', async () => {
  const config = loadConfig();
  const logger = createLogger('users', config.logLevel);
  const pool = openUsersPool(config.databaseUrl, logger);
  try {
    const appliedMigrations = await migrateUsersDatabase(pool);
    logger.info({ appliedMigrations }, 'migrations applied');
  } finally {
    await pool.end();
  }
});
