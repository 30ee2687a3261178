import pg from 'pg';
import type { BenchClients } from './clients.js';
import { forEachConcurrently } from './concurrently.js';

const SEED_CONCURRENCY = 16;

/** Ids of the users and products the load reads. */
export interface SeededIds {
  readonly userIds: string[];
  readonly productIds: string[];
}

/** Ids of orders and customers the orders load reads. */
export interface SeededOrders {
  readonly orderIds: string[];
  readonly customerIds: string[];
}

/** Creates users and products through the services' APIs and returns their ids. */
export async function seedThroughApis(clients: BenchClients, users: number, products: number): Promise<SeededIds> {
  const userIds: string[] = [];
  const productIds: string[] = [];
  await forEachConcurrently(users, SEED_CONCURRENCY, async (index) => {
    const { user } = await clients.users.createUser({ email: `bench-${index}@noisy-neighbour.test`, displayName: `Bench user ${index}`, address: { line1: `${index} Bench Street`, line2: 'Loopback', line3: 'Localhost' } });
    userIds.push(user!.id);
  });
  await forEachConcurrently(products, SEED_CONCURRENCY, async (index) => {
    const { product } = await clients.products.createProduct({ sku: `bench-${index}`, name: `Bench product ${index}`, categoryId: 'bench', price: { amountMinor: BigInt(100 + index), currencyCode: 'EUR' }, stock: 1000 });
    productIds.push(product!.id);
  });
  return { userIds, productIds };
}

const INSERT_ORDERS = `
INSERT INTO orders (id, idempotency_key, customer_id, customer_name, status, saga_step, total_minor, currency_code,
                    version, shipping_address_line1, shipping_address_line2, shipping_address_line3, created_at, updated_at)
SELECT gen_random_uuid(), 'bench-' || g, 'customer-' || (g % $2::int), 'Customer ' || (g % $2::int), 'CONFIRMED', 'done',
       (g % 9973) * 100 + 99, 'EUR', 1, g || ' Order Street', 'Loopback', 'Localhost',
       now() - make_interval(secs => g), now() - make_interval(secs => g)
FROM generate_series(1, $1::int) AS g`;

const CUSTOMERS = 5000;
const SAMPLED_ORDERS = 1000;

/**
 * Inserts finished orders of 5,000 customers straight into the orders table (after the orders service's migrations
 * ran), analyzes it, and returns a sample of the order ids and every customer id.
 */
export async function seedOrdersTable(ordersOwnerUrl: string, rows: number): Promise<SeededOrders> {
  const client = new pg.Client({ connectionString: ordersOwnerUrl });
  await client.connect();
  try {
    await client.query(INSERT_ORDERS, [rows, CUSTOMERS]);
    await client.query('ANALYZE orders');
    const sample = await client.query<{ id: string }>('SELECT id FROM orders ORDER BY random() LIMIT $1', [SAMPLED_ORDERS]);
    const customerIds = Array.from({ length: Math.min(CUSTOMERS, rows) }, (_, index) => `customer-${index}`);
    return { orderIds: sample.rows.map((row) => row.id), customerIds };
  } finally {
    await client.end();
  }
}
