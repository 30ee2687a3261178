import { z } from 'zod';
import { busSettings, parseEnv, serviceBasics, type BusSettings, type ServiceBasics } from '@shop/runtime';

const analyticsEnv = z.object({
  ANALYTICS_DUCKDB_PATH: z.string().min(1, 'must be a file path or :memory:'),
});

/** The analytics service's validated configuration. */
export interface AnalyticsConfig extends ServiceBasics, BusSettings {
  /** ANALYTICS_DUCKDB_PATH: the service's own DuckDB file (created when missing), or `:memory:`. */
  readonly duckdbPath: string;
}

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AnalyticsConfig {
  return { ...serviceBasics('analytics', env), ...busSettings(env), duckdbPath: parseEnv(analyticsEnv, env).ANALYTICS_DUCKDB_PATH };
}
