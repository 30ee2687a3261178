import { z } from 'zod';
import { logLevelVar, parseEnv, portVar, urlVar } from '@shop/runtime';

const schema = z.object({
  PRODUCTS_HOST: z.string().min(1).default('127.0.0.1'),
  PRODUCTS_PORT: portVar(50051),
  PRODUCTS_MONGO_URL: urlVar('mongodb', 'mongodb+srv'),
  NATS_URL: urlVar('nats', 'tls', 'ws', 'wss'),
  EVENTS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'must be letters, digits, _ or -')
    .default(''),
  LOG_LEVEL: logLevelVar,
});

/** The products service's configuration. */
export interface ProductsConfig {
  readonly host: string;
  readonly port: number;
  /** MongoDB URL; its path names the database (default "products"). */
  readonly mongoUrl: string;
  readonly natsUrl: string;
  readonly eventsNamespace: string;
  readonly logLevel: string;
}

/** Reads and validates the configuration from the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ProductsConfig {
  const parsed = parseEnv(schema, env);
  return {
    host: parsed.PRODUCTS_HOST,
    port: parsed.PRODUCTS_PORT,
    mongoUrl: parsed.PRODUCTS_MONGO_URL,
    natsUrl: parsed.NATS_URL,
    eventsNamespace: parsed.EVENTS_NAMESPACE,
    logLevel: parsed.LOG_LEVEL,
  };
}
