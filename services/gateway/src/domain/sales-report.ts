import { invalidArgument } from '@shop/runtime/errors';
import type { Money } from './money.js';
import type { OrderStatus } from './ports.js';

/** The order times a report covers: [start, end). */
export interface ReportPeriod {
  readonly start: Date;
  readonly end: Date;
}

/** Revenue and units of one category (at order time) on one UTC day. */
export interface CategoryDayRevenue {
  readonly day: string;
  readonly categoryId: string;
  readonly revenue?: Money;
  readonly units: bigint;
  readonly orders: bigint;
}

/** A product's sales with its names at order time and now. */
export interface ProductSales {
  readonly productId: string;
  readonly currentName: string;
  readonly currentCategoryId: string;
  readonly orderTimeNames: readonly string[];
  readonly units: bigint;
  readonly revenue?: Money;
}

/** Orders in one current status and currency. */
export interface StatusCount {
  readonly status: OrderStatus;
  readonly orders: bigint;
  readonly total?: Money;
}

/** Average order value of one signup-month cohort, with a few of its customers' names then and now. */
export interface CohortOrderValue {
  readonly cohort: string;
  readonly customers: bigint;
  readonly orders: bigint;
  readonly total?: Money;
  readonly averageOrderValue?: Money;
  readonly sampleCustomers: ReadonlyArray<{ readonly customerId: string; readonly orderTimeName: string; readonly currentName: string }>;
}

/** Checkouts of a period and how many were rejected. */
export interface RejectedCheckouts {
  readonly checkouts: bigint;
  readonly rejected: bigint;
  readonly rejectedRate: number;
}

/** The sales dashboard. */
export interface SalesReport {
  readonly revenueByCategory: readonly CategoryDayRevenue[];
  readonly topProducts: readonly ProductSales[];
  readonly ordersByStatus: readonly StatusCount[];
  readonly cohorts: readonly CohortOrderValue[];
  readonly rejectedCheckouts: RejectedCheckouts;
}

/** The analytics service's reports. */
export interface AnalyticsPort {
  revenueByCategory(period: ReportPeriod): Promise<CategoryDayRevenue[]>;
  topProducts(period: ReportPeriod, size: number): Promise<ProductSales[]>;
  ordersByStatus(period: ReportPeriod): Promise<StatusCount[]>;
  cohorts(period: ReportPeriod): Promise<CohortOrderValue[]>;
  rejectedCheckouts(period: ReportPeriod): Promise<RejectedCheckouts>;
}

const maxPeriodMs = 366 * 24 * 60 * 60 * 1000;

/** Validates the request's period and top-products size before any call, naming the storefront's fields. */
export function checkedReportRequest(start: Date | undefined, end: Date | undefined, topProductsSize: number): { period: ReportPeriod; topProductsSize: number } {
  if (!start) throw invalidArgument('start_time', 'is required');
  if (!end) throw invalidArgument('end_time', 'is required');
  if (Number.isNaN(start.getTime())) throw invalidArgument('start_time', 'must be a valid time');
  if (Number.isNaN(end.getTime())) throw invalidArgument('end_time', 'must be a valid time');
  if (end.getTime() <= start.getTime()) throw invalidArgument('end_time', 'must be after start_time');
  if (end.getTime() - start.getTime() > maxPeriodMs) throw invalidArgument('end_time', 'must be at most 366 days after start_time');
  if (!Number.isInteger(topProductsSize) || topProductsSize < 0 || topProductsSize > 100) throw invalidArgument('top_products_size', 'must be between 1 and 100, or 0 for 10');
  return { period: { start, end }, topProductsSize: topProductsSize || 10 };
}

/** Composes the dashboard from the analytics service's five reports, asked in parallel. */
export async function salesReport(analytics: AnalyticsPort, period: ReportPeriod, topProductsSize: number): Promise<SalesReport> {
  const [revenueByCategory, topProducts, ordersByStatus, cohorts, rejectedCheckouts] = await Promise.all([
    analytics.revenueByCategory(period),
    analytics.topProducts(period, topProductsSize),
    analytics.ordersByStatus(period),
    analytics.cohorts(period),
    analytics.rejectedCheckouts(period),
  ]);
  return { revenueByCategory, topProducts, ordersByStatus, cohorts, rejectedCheckouts };
}
