import { UserService } from '@shop/gen/user/v1/user_service_pb';
import {
  bindService,
  createLogger,
  isEntryPoint,
  ResourceStack,
  runService,
  startEventPublishing,
  startGrpcServer,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { pgOutboxStore } from '@shop/postgres';
import { userServiceImpl } from './api/user-service.js';
import { loadConfig, type UsersConfig } from './config.js';
import { Users } from './domain/users.js';
import { userEvents } from './events/outbound/user-events.js';
import { defaultMigrationsDir, migrateUsersDatabase } from './storage/migrate.js';
import { PgUserRepository } from './storage/pg-user-repository.js';
import { openUsersPool } from './storage/pool.js';
import { usersStoreOutage } from './storage/store-outage.js';

/** Options of startUsers beyond the configuration. */
export interface StartUsersOptions {
  /** Folder of the SQL migrations; the service's own by default. */
  readonly migrationsDir?: string;
  readonly logger?: Logger;
}

/** A running users service and the migrations this start applied. */
export interface RunningUsers extends RunningServer {
  readonly appliedMigrations: readonly string[];
}

/** Starts the users service: store and migrations, event publishing (in the background) and the gRPC server. */
export async function startUsers(config: UsersConfig, options: StartUsersOptions = {}): Promise<RunningUsers> {
  const logger = options.logger ?? createLogger('users', config.logLevel);
  return new ResourceStack().guard(async (stack) => {
    const pool = stack.use('postgres', openUsersPool(config.databaseUrl, logger), (opened) => opened.end());
    const appliedMigrations = await migrateUsersDatabase(pool, options.migrationsDir ?? defaultMigrationsDir);
    logger.info({ appliedMigrations }, 'migrations applied');
    const publishing = stack.use(
      'event publishing',
      startEventPublishing({ natsUrl: config.natsUrl, service: 'users', namespace: config.eventsNamespace, store: pgOutboxStore(pool), logger }),
      (started) => started.close(),
    );
    const users = new Users(new PgUserRepository(pool, userEvents({ namespace: config.eventsNamespace }), config.namedStatements), () => publishing.kick());
    const server = await startGrpcServer({
      services: [bindService(UserService, userServiceImpl(users))],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { postgres: async () => void (await pool.query('SELECT 1')) },
      storeOutages: [usersStoreOutage],
      resources: stack.entries,
    });
    return { ...server, appliedMigrations };
  });
}

if (isEntryPoint(import.meta.url)) runService(() => startUsers(loadConfig()));
