import { z } from 'zod';
import { logLevelVar, parseEnv, portVar, positiveIntVar, urlVar } from '@shop/runtime';

const configSchema = z.object({
  CART_HOST: z.string().min(1).default('127.0.0.1'),
  CART_PORT: portVar(50054),
  CART_REDIS_URL: urlVar('redis', 'rediss'),
  NATS_URL: urlVar('nats', 'tls'),
  CART_TTL_SECONDS: positiveIntVar(30 * 24 * 60 * 60),
  EVENTS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be letters, digits, _ or -').default(''),
  LOG_LEVEL: logLevelVar,
});

/** The cart service's validated configuration. */
export type CartConfig = z.infer<typeof configSchema>;

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): CartConfig {
  return parseEnv(configSchema, env);
}
