import { z } from 'zod';
import { addressVar, logLevelVar, parseEnv, portVar, urlVar } from '@shop/runtime';

const configSchema = z.object({
  SEARCH_HOST: z.string().min(1).default('127.0.0.1'),
  SEARCH_PORT: portVar(50055),
  SEARCH_ELASTICSEARCH_URL: urlVar('http', 'https'),
  SEARCH_INDEX_ALIAS: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ or -')
    .default('products'),
  PRODUCTS_ADDR: addressVar('127.0.0.1:50051'),
  NATS_URL: urlVar('nats'),
  EVENTS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'must be letters, digits, _ or -')
    .default(''),
  LOG_LEVEL: logLevelVar,
});

/** The search service's configuration. */
export type SearchConfig = z.infer<typeof configSchema>;

/** Reads and validates the configuration from the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): SearchConfig {
  return parseEnv(configSchema, env);
}

const rebuildSchema = configSchema.pick({ SEARCH_ELASTICSEARCH_URL: true, SEARCH_INDEX_ALIAS: true, PRODUCTS_ADDR: true, LOG_LEVEL: true });

/** The configuration the rebuild command needs. */
export type RebuildConfig = z.infer<typeof rebuildSchema>;

/** Reads the rebuild command's configuration from the environment, overridden by command-line values that are set. */
export function loadRebuildConfig(overrides: Record<string, string | undefined> = {}): RebuildConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return parseEnv(rebuildSchema, { ...process.env, ...given });
}
