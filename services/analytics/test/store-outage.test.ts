import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, type Client } from '@connectrpc/connect';
import { PeriodSchema } from '@shop/gen/analytics/v1/analytics_pb';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import { bindService, createLogger, createServiceClient, startGrpcServer, type RunningServer } from '@shop/runtime';
import { plainHealthCheck } from '@shop/runtime/testing';
import { eventually, expectConnectError } from '@shop/testkit';
import { analyticsServiceImpl } from '../src/api/analytics-service.js';
import { AnalyticsReports } from '../src/domain/analytics-reports.js';
import { openAnalyticsDatabase, type AnalyticsDatabase } from '../src/storage/duckdb.js';
import { migrateAnalyticsDatabase } from '../src/storage/migrate.js';
import { DuckDbReportQueries } from '../src/storage/report-queries.js';
import { analyticsStoreOutage } from '../src/storage/store-outage.js';
import { freshDuckDbPath } from './harness.js';

const period = create(PeriodSchema, { startTime: timestampFromDate(new Date('2026-11-01T00:00:00Z')), endTime: timestampFromDate(new Date('2026-11-02T00:00:00Z')) });

describe('when its DuckDB store is gone from under the server', () => {
  let database: AnalyticsDatabase;
  let server: RunningServer;
  let client: Client<typeof AnalyticsService>;

  beforeAll(async () => {
    database = await openAnalyticsDatabase(freshDuckDbPath());
    await migrateAnalyticsDatabase(database);
    server = await startGrpcServer({
      services: [bindService(AnalyticsService, analyticsServiceImpl(new AnalyticsReports(new DuckDbReportQueries(database))))],
      logger: createLogger('analytics-outage-test', 'silent'),
      host: '127.0.0.1',
      port: 0,
      healthChecks: { duckdb: async () => void (await database.query('SELECT 1')) },
      storeOutages: [analyticsStoreOutage],
      healthIntervalMs: 200,
    });
    client = createServiceClient(AnalyticsService, { name: 'analytics', address: server.address, defaultTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  it('reports NOT_SERVING and answers UNAVAILABLE naming duckdb, not INTERNAL', async () => {
    expect((await client.getOrdersByStatus({ period })).counts).toEqual([]);
    expect(await plainHealthCheck(server.address)).toBe('SERVING');

    database.close();
    await eventually(async () => (await plainHealthCheck(server.address)) === 'NOT_SERVING', { description: 'health turns NOT_SERVING' });
    await expectConnectError(client.getOrdersByStatus({ period }), Code.Unavailable, 'duckdb unavailable');
  });
});
