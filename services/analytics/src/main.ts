import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import {
  bindService,
  createLogger,
  isEntryPoint,
  ResourceStack,
  runService,
  startBackgroundConsumer,
  startGrpcServer,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { sourcesOf } from '@shop/system-map';
import { analyticsServiceImpl } from './api/analytics-service.js';
import { loadConfig, type AnalyticsConfig } from './config.js';
import { AnalyticsReports } from './domain/analytics-reports.js';
import { readModelHandler } from './events/inbound/read-model-handler.js';
import { openAnalyticsDatabase } from './storage/duckdb.js';
import { migrateAnalyticsDatabase } from './storage/migrate.js';
import { DuckDbReadModelWriter } from './storage/read-model-writer.js';
import { DuckDbReportQueries } from './storage/report-queries.js';
import { analyticsStoreOutage } from './storage/store-outage.js';

/** Options of startAnalytics beyond the configuration. */
export interface StartAnalyticsOptions {
  readonly logger?: Logger;
}

/** Starts the analytics service: its DuckDB file and migrations, the event consumers (connecting in the background) and the gRPC server. */
export function startAnalytics(config: AnalyticsConfig, options: StartAnalyticsOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('analytics', config.logLevel);
  return new ResourceStack().guard(async (stack) => {
    const database = stack.use('duckdb', await openAnalyticsDatabase(config.duckdbPath, { threads: config.duckdbThreads }), (opened) => opened.close());
    logger.info({ schemaVersion: await migrateAnalyticsDatabase(database) }, 'schema migrated');
    const handle = readModelHandler(new DuckDbReadModelWriter(database), logger);
    for (const source of sourcesOf('analytics')) {
      const consuming = startBackgroundConsumer({ natsUrl: config.natsUrl, namespace: config.eventsNamespace, service: 'analytics', source, batch: { ...config.eventBatches, handle }, logger });
      stack.use(`${source}-event-consumer`, consuming, (consumer) => consumer.close());
    }
    return startGrpcServer({
      services: [bindService(AnalyticsService, analyticsServiceImpl(new AnalyticsReports(new DuckDbReportQueries(database))))],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { duckdb: async () => void (await database.query('SELECT 1')) },
      storeOutages: [analyticsStoreOutage],
      resources: stack.entries,
    });
  });
}

if (isEntryPoint(import.meta.url)) runService(() => startAnalytics(loadConfig()));
