import { createLogger } from '@shop/runtime';
import { createServiceClient } from '@shop/runtime';
import { isolatedPgDatabase, testStores, uniqueName, type IsolatedDatabase } from '@shop/testkit';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import type { UsersConfig } from '../src/config.js';
import { startUsersService, type RunningUsersService, type StartOptions } from '../src/server.js';

/** A private database and events namespace for one test file. */
export interface TestEnvironment {
  readonly database: IsolatedDatabase;
  readonly config: UsersConfig;
}

/** Creates a fresh users database and a unique events namespace. */
export async function testEnvironment(): Promise<TestEnvironment> {
  const stores = testStores();
  const database = await isolatedPgDatabase(stores.usersPgAdminUrl, 'users');
  const config: UsersConfig = {
    host: '127.0.0.1',
    port: 0,
    databaseUrl: database.url,
    natsUrl: stores.natsUrl,
    eventsNamespace: uniqueName('users-test').replace(/-/g, '_'),
    logLevel: 'silent',
  };
  return { database, config };
}

/** Starts the service in-process on port 0 with a silent logger. */
export function startService(config: UsersConfig, options: StartOptions = {}): Promise<RunningUsersService> {
  return startUsersService(config, { logger: createLogger('users-test', 'silent'), ...options });
}

/** A real gRPC client of a running users service. */
export function userClient(address: string) {
  return createServiceClient(UserService, { name: 'users', address });
}
