import { resolve } from 'node:path';
import { z } from 'zod';
import { parseEnv } from '@shop/runtime';

const optionalUrl = z.string().url('must be a URL').optional();

const schema = z.object({
  SHOP_DATA_DIR: z.string().min(1).default('.data'),
  ORDERS_DATABASE_URL: optionalUrl,
  ORDERS_DATABASE_REPLICA_URL: optionalUrl,
  USERS_DATABASE_URL: optionalUrl,
  PRODUCTS_MONGO_URL: optionalUrl,
  SEARCH_ELASTICSEARCH_URL: optionalUrl,
  CART_REDIS_URL: optionalUrl,
  NATS_URL: optionalUrl,
  GATEWAY_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SHOP_DEMO_DATA: z.enum(['on', 'off']).default('on'),
  SHOP_GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  SHOP_PORT_OFFSET: z.coerce.number({ error: 'must be a number' }).int().min(0).max(5000).default(0),
  SHOP_PORT_BASE: z.coerce.number({ error: 'must be a number' }).int().min(1024).max(65500).optional(),
});

/** The launcher's configuration: where data lives, and which stores are external servers instead of local ones. */
export type LauncherConfig = z.infer<typeof schema> & { dataDir: string };

/** Reads the launcher's configuration; every store URL set here replaces the local store. */
export function loadLauncherConfig(env: Record<string, string | undefined> = process.env): LauncherConfig {
  const config = parseEnv(schema, env);
  return { ...config, dataDir: resolve(config.SHOP_DATA_DIR) };
}
