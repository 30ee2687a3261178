import type { Client } from '@connectrpc/connect';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import type { AnalyticsPort, ReportPeriod } from '../domain/sales-report.js';
import { callOptions } from './call-options.js';
import { statusOf } from './orders-peer.js';
import { defined, moneyOf } from './proto-values.js';

const reportRows = 500;
const periodOf = (period: ReportPeriod) => ({ startTime: timestampFromDate(period.start), endTime: timestampFromDate(period.end) });

/** The analytics service behind the AnalyticsPort; the paged reports answer their first page of 500 rows. */
export function analyticsPeer(client: Client<typeof AnalyticsService>): AnalyticsPort {
  return {
    revenueByCategory: async (period) => {
      const { rows } = await client.getRevenueByCategory({ period: periodOf(period), pageSize: reportRows }, callOptions());
      return rows.map((row) => defined({ day: row.day, categoryId: row.categoryId, revenue: moneyOf(row.revenue), units: row.units, orders: row.orders }));
    },
    topProducts: async (period, size) => {
      const { products } = await client.listTopProducts({ period: periodOf(period), pageSize: size }, callOptions());
      return products.map((product) =>
        defined({
          productId: product.productId,
          currentName: product.currentName,
          currentCategoryId: product.currentCategoryId,
          orderTimeNames: [...product.orderTimeNames],
          units: product.units,
          revenue: moneyOf(product.revenue),
        }),
      );
    },
    ordersByStatus: async (period) => {
      const { counts } = await client.getOrdersByStatus({ period: periodOf(period) }, callOptions());
      return counts.map((count) => defined({ status: statusOf[count.status], orders: count.orders, total: moneyOf(count.total) }));
    },
    cohorts: async (period) => {
      const { cohorts } = await client.getCohortOrderValues({ period: periodOf(period), pageSize: reportRows }, callOptions());
      return cohorts.map((cohort) =>
        defined({
          cohort: cohort.cohort,
          customers: cohort.customers,
          orders: cohort.orders,
          total: moneyOf(cohort.total),
          averageOrderValue: moneyOf(cohort.averageOrderValue),
          sampleCustomers: cohort.sampleCustomers.map(({ customerId, orderTimeName, currentName }) => ({ customerId, orderTimeName, currentName })),
        }),
      );
    },
    rejectedCheckouts: async (period) => {
      const { checkouts, rejected, rejectedRate } = await client.getRejectedCheckoutRate({ period: periodOf(period) }, callOptions());
      return { checkouts, rejected, rejectedRate };
    },
  };
}
