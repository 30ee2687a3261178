import { createClient } from '@connectrpc/connect';
import { createLogger, createServiceClient, grpcTransport } from '@shop/runtime';
import { isolatedPgDatabase, testStores, uniqueName, type IsolatedDatabase } from '@shop/testkit';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import type { UsersConfig } from '../src/config.js';
import { startUsers, type RunningUsers, type StartUsersOptions } from '../src/main.js';

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
    namedStatements: true,
    natsUrl: stores.natsUrl,
    eventsNamespace: uniqueName('users-test').replace(/-/g, '_'),
    logLevel: 'silent',
  };
  return { database, config };
}

/** Starts the service in-process on port 0 with a silent logger. */
export function startService(config: UsersConfig, options: StartUsersOptions = {}): Promise<RunningUsers> {
  return startUsers(config, { logger: createLogger('users-test', 'silent'), ...options });
}

/** A real gRPC client of a running users service. */
export function userClient(address: string) {
  return createServiceClient(UserService, { name: 'users', address });
}

/** A client with no retries and no circuit breaker: it shows each status the service answers, as a ConnectError. */
export function plainUserClient(address: string) {
  return createClient(UserService, grpcTransport(address));
}
