import { z } from 'zod';
import { addressVar, busSettings, eventBatchSettings, logLevelVar, parseEnv, serviceBasics, telemetrySettings, urlVar, type BusSettings, type EventBatchSettings, type LogLevel, type ServiceBasics } from '@shop/runtime';
import { systemMap } from '@shop/system-map';

const storeSchema = z.object({
  SEARCH_ELASTICSEARCH_URL: urlVar('http', 'https'),
  SEARCH_INDEX_ALIAS: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ or -')
    .default('products'),
  PRODUCTS_ADDR: addressVar(`127.0.0.1:${systemMap.products.port}`),
});

/** Where the projection lives and where it is rebuilt from. */
export interface ProjectionSettings {
  /** Elasticsearch URL with the search service's own user. */
  readonly elasticsearchUrl: string;
  /** The alias searches read and the indexer writes; each index behind it is named after it. */
  readonly indexAlias: string;
  /** host:port of the products API, the rebuild's source. */
  readonly productsAddress: string;
  /** Whether Elasticsearch requests are traced as client spans (when the OTEL_* variables turn tracing on). */
  readonly traceElasticsearch: boolean;
}

/** The search service's configuration. */
export interface SearchConfig extends ServiceBasics, BusSettings, ProjectionSettings {
  /**
   * How delivered product events are grouped into one `_bulk` request: at most SEARCH_BATCH_MAX_EVENTS (128), waiting
   * up to SEARCH_BATCH_LINGER_MS (10) after the first event of a batch for more.
   */
  readonly eventBatches: EventBatchSettings;
}

function projectionSettings(env: Record<string, string | undefined>): ProjectionSettings {
  const parsed = parseEnv(storeSchema, env);
  return {
    elasticsearchUrl: parsed.SEARCH_ELASTICSEARCH_URL,
    indexAlias: parsed.SEARCH_INDEX_ALIAS,
    productsAddress: parsed.PRODUCTS_ADDR,
    traceElasticsearch: telemetrySettings(env).tracing,
  };
}

/** Reads and validates the configuration from the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): SearchConfig {
  const projection = projectionSettings(env);
  const eventBatches = eventBatchSettings('search', env, { maxEvents: 128, lingerMs: 10 });
  return { ...serviceBasics('search', env), ...busSettings(env), ...projection, eventBatches };
}

/** The configuration the rebuild command needs. */
export interface RebuildConfig extends ProjectionSettings {
  readonly logLevel: LogLevel;
}

/** Reads the rebuild command's configuration from the environment, overridden by command-line values that are set. */
export function loadRebuildConfig(overrides: Record<string, string | undefined> = {}): RebuildConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const env = { ...process.env, ...given };
  return { ...projectionSettings(env), logLevel: parseEnv(z.object({ LOG_LEVEL: logLevelVar }), env).LOG_LEVEL };
}
