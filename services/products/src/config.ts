import { z } from 'zod';
import { busSettings, parseEnv, serviceBasics, urlVar, type BusSettings, type ServiceBasics } from '@shop/runtime';

const schema = z.object({
  PRODUCTS_MONGO_URL: urlVar('mongodb', 'mongodb+srv'),
});

/** The products service's configuration. */
export interface ProductsConfig extends ServiceBasics, BusSettings {
  /** MongoDB URL; its path names the database (default "products"). */
  readonly mongoUrl: string;
}

/** Reads and validates the configuration from the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ProductsConfig {
  const own = parseEnv(schema, env);
  return { ...serviceBasics('products', env), ...busSettings(env), mongoUrl: own.PRODUCTS_MONGO_URL };
}
