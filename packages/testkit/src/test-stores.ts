/** The stores a test run uses: started by the jest global setup, or real servers named by the same variables. */
export interface TestStores {
  /** Superuser URL of the orders PostgreSQL primary. */
  readonly ordersPgAdminUrl: string;
  /** Superuser URL of the orders PostgreSQL streaming replica. */
  readonly ordersReplicaPgAdminUrl: string;
  /** Superuser URL of the users PostgreSQL cluster. */
  readonly usersPgAdminUrl: string;
  /** Redis URL with full rights, for tests that inspect or set up keys. */
  readonly redisAdminUrl: string;
  /** Redis URL of the cart service's ACL user. */
  readonly cartRedisUrl: string;
  /** NATS URL with JetStream. */
  readonly natsUrl: string;
  /** MongoDB URL (the stand-in unless pointed at a real server). */
  readonly mongoUrl: string;
  /** Elasticsearch URL (the stand-in unless pointed at a real server). */
  readonly elasticsearchUrl: string;
}

/** Environment variables that carry the test stores, by TestStores key. */
export const testStoreVariables: Record<keyof TestStores, string> = {
  ordersPgAdminUrl: 'TEST_ORDERS_PG_ADMIN_URL',
  ordersReplicaPgAdminUrl: 'TEST_ORDERS_REPLICA_PG_ADMIN_URL',
  usersPgAdminUrl: 'TEST_USERS_PG_ADMIN_URL',
  redisAdminUrl: 'TEST_REDIS_ADMIN_URL',
  cartRedisUrl: 'TEST_CART_REDIS_URL',
  natsUrl: 'TEST_NATS_URL',
  mongoUrl: 'TEST_MONGO_URL',
  elasticsearchUrl: 'TEST_ES_URL',
};

/** Reads the test stores from the environment; fails with the missing variable's name. */
export function testStores(env: Record<string, string | undefined> = process.env): TestStores {
  const entries = Object.entries(testStoreVariables).map(([key, variable]) => {
    const value = env[variable];
    if (!value) throw new Error(`${variable} is not set: run the tests with npm test, which starts the test stores`);
    return [key, value];
  });
  return Object.fromEntries(entries) as unknown as TestStores;
}
