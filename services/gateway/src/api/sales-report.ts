import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import { GetSalesReportResponseSchema, type GetSalesReportResponse } from '@shop/gen/storefront/v1/storefront_service_pb';
import type { OrderStatus as DomainOrderStatus } from '../domain/ports.js';
import type { SalesReport } from '../domain/sales-report.js';

const statusMessage: Record<DomainOrderStatus, OrderStatus> = {
  UNSPECIFIED: OrderStatus.UNSPECIFIED,
  PENDING: OrderStatus.PENDING,
  CONFIRMED: OrderStatus.CONFIRMED,
  REJECTED: OrderStatus.REJECTED,
  CANCELLED: OrderStatus.CANCELLED,
};

/** The storefront's GetSalesReport answer for a composed report. */
export function salesReportMessage(report: SalesReport): GetSalesReportResponse {
  const init: MessageInitShape<typeof GetSalesReportResponseSchema> = {
    revenueByCategory: [...report.revenueByCategory],
    topProducts: report.topProducts.map((product) => ({ ...product, orderTimeNames: [...product.orderTimeNames] })),
    ordersByStatus: report.ordersByStatus.map((count) => ({ ...count, status: statusMessage[count.status] })),
    cohorts: report.cohorts.map((cohort) => ({ ...cohort, sampleCustomers: [...cohort.sampleCustomers] })),
    checkouts: report.rejectedCheckouts.checkouts,
    rejectedCheckouts: report.rejectedCheckouts.rejected,
    rejectedRate: report.rejectedCheckouts.rejectedRate,
  };
  return create(GetSalesReportResponseSchema, init);
}
