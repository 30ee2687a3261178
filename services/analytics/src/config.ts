import { z } from 'zod';
import { busSettings, eventBatchSettings, parseEnv, serviceBasics, type BusSettings, type EventBatchSettings, type ServiceBasics } from '@shop/runtime';

const analyticsEnv = z.object({
  ANALYTICS_DUCKDB_PATH: z.string().min(1, 'must be a file path or :memory:'),
  ANALYTICS_DUCKDB_THREADS: z.coerce.number().int().min(1).max(64).default(1),
});

/** The analytics service's validated configuration. */
export interface AnalyticsConfig extends ServiceBasics, BusSettings {
  /** ANALYTICS_DUCKDB_PATH: the service's own DuckDB file (created when missing), or `:memory:`. */
  readonly duckdbPath: string;
  /**
   * How delivered events are grouped into one DuckDB transaction: at most ANALYTICS_BATCH_MAX_EVENTS (512), waiting
   * up to ANALYTICS_BATCH_LINGER_MS (1000) after the first event of a batch for more: a report may lag the events by
   * that much, and a batch's fixed cost (its transaction and one statement per table) is shared by what arrived meanwhile.
   */
  readonly eventBatches: EventBatchSettings;
  /**
   * ANALYTICS_DUCKDB_THREADS (1): DuckDB's worker threads. One thread costs less CPU per small write and per report
   * at this store's size; raise it for a large history.
   */
  readonly duckdbThreads: number;
}

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AnalyticsConfig {
  const own = parseEnv(analyticsEnv, env);
  return {
    ...serviceBasics('analytics', env),
    ...busSettings(env),
    duckdbPath: own.ANALYTICS_DUCKDB_PATH,
    eventBatches: eventBatchSettings('analytics', env, { maxEvents: 512, lingerMs: 1000 }),
    duckdbThreads: own.ANALYTICS_DUCKDB_THREADS,
  };
}
