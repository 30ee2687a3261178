import { checkedPage, checkedPageSize, nextPageToken } from './paging.js';
import { checkedPeriod } from './period.js';
import type { CategoryDayRevenue, CohortOrderValue, ProductSales, RejectedCheckouts, ReportQueries, StatusCount } from './reports.js';

/** A requested period as the API hands it over: each end may be missing. */
export interface RequestedPeriod {
  readonly start?: Date;
  readonly end?: Date;
}

const listBounds = { max: 500, fallback: 100 };

/** The dashboard's reports: validates bounds before touching the store, pages the lists. */
export class AnalyticsReports {
  constructor(private readonly queries: ReportQueries) {}

  /** Revenue and units by category by day, one page. */
  async revenueByCategory(period: RequestedPeriod, pageSize: number, pageToken: string): Promise<{ rows: CategoryDayRevenue[]; nextPageToken: string }> {
    const checked = checkedPeriod(period.start, period.end);
    const page = checkedPage(pageSize, pageToken, { field: 'page_size', ...listBounds });
    const rows = await this.queries.revenueByCategory(checked, page);
    return { rows: rows.slice(0, page.size), nextPageToken: nextPageToken(page, rows.length) };
  }

  /** The best sellers by units. */
  topProducts(period: RequestedPeriod, pageSize: number, field = 'page_size'): Promise<ProductSales[]> {
    const checked = checkedPeriod(period.start, period.end);
    return this.queries.topProducts(checked, checkedPageSize(pageSize, { field, max: 100, fallback: 10 }));
  }

  /** Orders by current status. */
  ordersByStatus(period: RequestedPeriod): Promise<StatusCount[]> {
    return this.queries.ordersByStatus(checkedPeriod(period.start, period.end));
  }

  /** Average order value per signup-month cohort, one page. */
  async cohortOrderValues(period: RequestedPeriod, pageSize: number, pageToken: string): Promise<{ cohorts: CohortOrderValue[]; nextPageToken: string }> {
    const checked = checkedPeriod(period.start, period.end);
    const page = checkedPage(pageSize, pageToken, { field: 'page_size', ...listBounds });
    const cohorts = await this.queries.cohortOrderValues(checked, page);
    return { cohorts: cohorts.slice(0, page.size), nextPageToken: nextPageToken(page, cohorts.length) };
  }

  /** Checkouts and rejections. */
  rejectedCheckouts(period: RequestedPeriod): Promise<RejectedCheckouts> {
    return this.queries.rejectedCheckouts(checkedPeriod(period.start, period.end));
  }
}
