import { z } from 'zod';
import { busSettings, parseEnv, positiveIntVar, serviceBasics, urlVar, type BusSettings, type ServiceBasics } from '@shop/runtime';

const ownSchema = z.object({
  CART_REDIS_URL: urlVar('redis', 'rediss'),
  CART_TTL_SECONDS: positiveIntVar(30 * 24 * 60 * 60),
});

/** The cart service's validated configuration. */
export interface CartConfig extends ServiceBasics, BusSettings {
  /** Redis URL with the cart's own ACL user. */
  readonly redisUrl: string;
  /** How long a cart lives after its last write. */
  readonly cartTtlSeconds: number;
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): CartConfig {
  const own = parseEnv(ownSchema, env);
  return { ...serviceBasics('cart', env), ...busSettings(env), redisUrl: own.CART_REDIS_URL, cartTtlSeconds: own.CART_TTL_SECONDS };
}
