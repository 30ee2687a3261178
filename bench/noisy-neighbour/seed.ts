import pg from 'pg';
import type { BenchClients } from './clients.js';
import { forEachConcurrently } from './concurrently.js';

const SEED_CONCURRENCY = 16;

/** Ids of the users and products the load reads. */
export interface SeededIds {
  readonly userIds: string[];
  readonly productIds: string[];
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
SELECT gen_random_uuid(), 'bench-' || g, 'customer-' || (g % 5000), 'Customer ' || (g % 5000), 'CONFIRMED', 'done',
       (g % 9973) * 100 + 99, 'EUR', 1, g || ' Order Street', 'Loopback', 'Localhost',
       now() - make_interval(secs => g), now() - make_interval(secs => g)
FROM generate_series(1, $1::int) AS g`;

/** Inserts finished orders straight into the orders table (after the orders service's migrations ran) and analyzes it. */
export async function seedOrdersTable(ordersOwnerUrl: string, rows: number): Promise<void> {
  const client = new pg.Client({ connectionString: ordersOwnerUrl });
  await client.connect();
  try {
    await client.query(INSERT_ORDERS, [rows]);
    await client.query('ANALYZE orders');
  } finally {
    await client.end();
  }
}
