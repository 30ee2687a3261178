import type { Money } from './read-model-events.js';
import type { PageRequest } from './paging.js';
import type { Period } from './period.js';

/** Where an order stands now. */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED';

/** Revenue and units of one category (at order time) on one UTC day, in one currency. */
export interface CategoryDayRevenue {
  readonly day: string;
  readonly categoryId: string;
  readonly revenue: Money;
  readonly units: bigint;
  readonly orders: bigint;
}

/** One product's sales over a period, with its names at order time and now. */
export interface ProductSales {
  readonly productId: string;
  readonly currentName: string;
  readonly currentCategoryId: string;
  readonly orderTimeNames: readonly string[];
  readonly units: bigint;
  readonly revenue: Money;
}

/** Orders in one status and currency. */
export interface StatusCount {
  readonly status: OrderStatus;
  readonly orders: bigint;
  readonly total: Money;
}

/** A customer's display names when they ordered and now. */
export interface CustomerNames {
  readonly customerId: string;
  readonly orderTimeName: string;
  readonly currentName: string;
}

/** The order value of one signup-month cohort in one currency. */
export interface CohortOrderValue {
  readonly cohort: string;
  readonly customers: bigint;
  readonly orders: bigint;
  readonly total: Money;
  readonly averageOrderValue: Money;
  readonly sampleCustomers: readonly CustomerNames[];
}

/** Checkouts of a period and how many were rejected. */
export interface RejectedCheckouts {
  readonly checkouts: bigint;
  readonly rejected: bigint;
}

/** The read model's queries; each list answers up to size + 1 rows so the caller knows whether more follow. */
export interface ReportQueries {
  revenueByCategory(period: Period, page: PageRequest): Promise<CategoryDayRevenue[]>;
  topProducts(period: Period, limit: number): Promise<ProductSales[]>;
  ordersByStatus(period: Period): Promise<StatusCount[]>;
  cohortOrderValues(period: Period, page: PageRequest): Promise<CohortOrderValue[]>;
  rejectedCheckouts(period: Period): Promise<RejectedCheckouts>;
}

/** rejected / checkouts, 0 when there were none. */
export function rejectedRate(counts: RejectedCheckouts): number {
  return counts.checkouts === 0n ? 0 : Number(counts.rejected) / Number(counts.checkouts);
}

/** total / orders in minor units, rounded half away from zero. */
export function averageMinor(total: bigint, orders: bigint): bigint {
  if (orders === 0n) return 0n;
  const sign = total < 0n ? -1n : 1n;
  const magnitude = total * sign;
  return sign * ((magnitude * 2n + orders) / (orders * 2n));
}
