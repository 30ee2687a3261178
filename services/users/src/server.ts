import pg from 'pg';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import {
  bindService,
  connectEventBus,
  createLogger,
  ensureEventStream,
  startGrpcServer,
  startOutboxRelay,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import type { UsersConfig } from './config.js';
import { userServiceImpl } from './api/user-service.js';
import { Users } from './domain/users.js';
import { userEvents } from './events/user-events.js';
import { defaultMigrationsDir, migrateDatabase } from './storage/migrate.js';
import { pgOutboxStore } from './storage/pg-outbox.js';
import { PgUserRepository } from './storage/pg-user-repository.js';

/** Options of startUsersService beyond the configuration. */
export interface StartOptions {
  /** Folder of the SQL migrations; the service's own by default. */
  readonly migrationsDir?: string;
  readonly logger?: Logger;
}

/** A running users service and the migrations this start applied. */
export interface RunningUsersService extends RunningServer {
  readonly appliedMigrations: readonly string[];
}

interface Resource {
  readonly name: string;
  close(): Promise<void>;
}

/** Starts the users service: migrations, store, event relay and gRPC server. */
export async function startUsersService(config: UsersConfig, options: StartOptions = {}): Promise<RunningUsersService> {
  const logger = options.logger ?? createLogger('users', config.logLevel);
  const appliedMigrations = await migrateDatabase(config.databaseUrl, options.migrationsDir ?? defaultMigrationsDir);
  logger.info({ appliedMigrations }, 'migrations applied');
  const bus = await connectEventBus(config.natsUrl, 'users', config.eventsNamespace);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle postgres connection failed'));
  const resources: Resource[] = [
    { name: 'postgres', close: () => pool.end() },
    { name: 'nats', close: () => bus.close() },
  ];
  try {
    await ensureEventStream(bus, 'users');
    const relay = startOutboxRelay({ store: pgOutboxStore(pool), bus, logger });
    resources.push({ name: 'outbox-relay', close: () => relay.stop() });
    const users = new Users(new PgUserRepository(pool, userEvents(bus)), () => relay.kick());
    const server = await startGrpcServer({
      services: [bindService(UserService, userServiceImpl(users))],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { postgres: async () => void (await pool.query('SELECT 1')) },
      resources,
    });
    return { ...server, appliedMigrations };
  } catch (error) {
    for (const resource of [...resources].reverse()) await resource.close();
    throw error;
  }
}
