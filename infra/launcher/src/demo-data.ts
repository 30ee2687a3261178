import { createServiceClient } from '@shop/runtime';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import type { SystemPorts } from './ports.js';
import { serviceAddress } from './service-env.js';

const categories = ['shoes', 'shirts', 'jackets', 'bags', 'hats', 'socks', 'watches', 'sunglasses'] as const;
const nouns: Record<(typeof categories)[number], string> = {
  shoes: 'Shoe',
  shirts: 'Shirt',
  jackets: 'Jacket',
  bags: 'Bag',
  hats: 'Hat',
  socks: 'Socks',
  watches: 'Watch',
  sunglasses: 'Sunglasses',
};
const styles = ['Trail', 'Classic', 'Urban', 'Alpine', 'Coastal', 'Retro', 'Summit', 'Harbor', 'Meadow', 'Canyon', 'Nordic', 'Desert', 'Metro', 'Forest', 'Island', 'Prairie', 'Glacier', 'Sierra', 'Valley', 'Aurora', 'Drift', 'Ember', 'Granite', 'Willow', 'Cobalt'];
const materials = ['leather', 'organic cotton', 'recycled nylon', 'merino wool', 'canvas', 'linen', 'suede', 'waxed cotton'];
const firstNames = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'John', 'Hedy', 'Donald', 'Karen', 'Tim', 'Sophie', 'Guido', 'Anita', 'Bjarne'];

/** The demo catalog: 25 products in each of 8 categories, with deterministic names, prices and stock. */
export function demoProducts() {
  return categories.flatMap((category, c) =>
    styles.map((style, s) => ({
      sku: `DEMO-${category.toUpperCase()}-${String(s + 1).padStart(3, '0')}`,
      name: `${style} ${nouns[category]}`,
      description: `${style} line ${nouns[category].toLowerCase()} in ${materials[(s + c) % materials.length]}, made to last.`,
      categoryId: category,
      price: { amountMinor: BigInt(999 + ((s * 7 + c * 13) % 40) * 250), currencyCode: 'EUR' },
      stock: (s * 3 + c) % 11 === 0 ? 0 : 5 + ((s * 5 + c) % 50),
    })),
  );
}

/** The 20 demo users. */
export function demoUsers() {
  return firstNames.map((name, index) => ({
    email: `${name.toLowerCase()}@demo.shop.example`,
    displayName: name,
    address: { line1: `${index + 1} Demo Street`, line2: `${10000 + index * 7} Sampletown`, line3: 'Exampleland' },
  }));
}

/**
 * Users are created one at a time, while the products load (which takes longer) runs beside them: each concurrent
 * create would open one more of the users service's PostgreSQL connections, left open after start for no gain.
 */
const USER_BATCH = 1;

/** Creates the demo products through the products API unless there are products already. */
export async function loadDemoProducts(ports: SystemPorts, log: (line: string) => void): Promise<void> {
  const products = createServiceClient(ProductService, { name: 'products', address: serviceAddress(ports, 'products'), defaultTimeoutMs: 10_000 });
  const existing = await products.listProducts({ pageSize: 1 });
  if (existing.products.length > 0) return;
  await inBatches(demoProducts(), (product) => products.createProduct(product));
  log(`demo data: ${demoProducts().length} products in ${categories.length} categories`);
}

/** Creates the demo users through the users API unless there are users already; returns the first user's id. */
export async function loadDemoUsers(ports: SystemPorts, log: (line: string) => void): Promise<string | undefined> {
  const users = createServiceClient(UserService, { name: 'users', address: serviceAddress(ports, 'users'), defaultTimeoutMs: 10_000 });
  const existing = await users.listUsers({ pageSize: 1 });
  if (existing.users.length === 0) {
    await inBatches(demoUsers(), (user) => users.createUser(user), USER_BATCH);
    log(`demo data: ${demoUsers().length} users`);
  }
  return (await users.listUsers({ pageSize: 1 })).users[0]?.id;
}

/** Runs the call for every item, a batch of them at a time, in order of the batches. */
async function inBatches<T>(items: readonly T[], call: (item: T) => Promise<unknown>, size = 16): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(call));
}
