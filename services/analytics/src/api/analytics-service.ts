import { create } from '@bufbuild/protobuf';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ServiceImpl } from '@connectrpc/connect';
import type { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import {
  GetCohortOrderValuesResponseSchema,
  GetOrdersByStatusResponseSchema,
  GetRejectedCheckoutRateResponseSchema,
  GetRevenueByCategoryResponseSchema,
  ListTopProductsResponseSchema,
} from '@shop/gen/analytics/v1/analytics_service_pb';
import type { Period } from '@shop/gen/analytics/v1/analytics_pb';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import type { AnalyticsReports, RequestedPeriod } from '../domain/analytics-reports.js';
import { rejectedRate, type OrderStatus as Status } from '../domain/reports.js';

const statuses: Record<Status, OrderStatus> = {
  PENDING: OrderStatus.PENDING,
  CONFIRMED: OrderStatus.CONFIRMED,
  REJECTED: OrderStatus.REJECTED,
  CANCELLED: OrderStatus.CANCELLED,
};

const dateOf = (time: Timestamp | undefined) => (time ? timestampDate(time) : undefined);
const periodOf = (period: Period | undefined): RequestedPeriod => ({ start: dateOf(period?.startTime), end: dateOf(period?.endTime) });

/** shop.analytics.v1.AnalyticsService over the reports; every RPC only reads. */
export function analyticsServiceImpl(reports: AnalyticsReports): ServiceImpl<typeof AnalyticsService> {
  return {
    async getRevenueByCategory(request) {
      return create(GetRevenueByCategoryResponseSchema, await reports.revenueByCategory(periodOf(request.period), request.pageSize, request.pageToken));
    },
    async listTopProducts(request) {
      return create(ListTopProductsResponseSchema, { products: (await reports.topProducts(periodOf(request.period), request.pageSize)).map((product) => ({ ...product, orderTimeNames: [...product.orderTimeNames] })) });
    },
    async getOrdersByStatus(request) {
      const counts = await reports.ordersByStatus(periodOf(request.period));
      return create(GetOrdersByStatusResponseSchema, { counts: counts.map((count) => ({ ...count, status: statuses[count.status] ?? OrderStatus.UNSPECIFIED })) });
    },
    async getCohortOrderValues(request) {
      const page = await reports.cohortOrderValues(periodOf(request.period), request.pageSize, request.pageToken);
      return create(GetCohortOrderValuesResponseSchema, { ...page, cohorts: page.cohorts.map((cohort) => ({ ...cohort, sampleCustomers: [...cohort.sampleCustomers] })) });
    },
    async getRejectedCheckoutRate(request) {
      const counts = await reports.rejectedCheckouts(periodOf(request.period));
      return create(GetRejectedCheckoutRateResponseSchema, { ...counts, rejectedRate: rejectedRate(counts) });
    },
  };
}
