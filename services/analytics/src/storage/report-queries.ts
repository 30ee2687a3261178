import type { PageRequest } from '../domain/paging.js';
import type { Period } from '../domain/period.js';
import type { CategoryDayRevenue, CohortOrderValue, OrderStatus, ProductSales, RejectedCheckouts, ReportQueries, StatusCount } from '../domain/reports.js';
import { averageMinor } from '../domain/reports.js';
import { timestampValue, type AnalyticsDatabase } from './duckdb.js';

const ordersInPeriod = `
  WITH current_status AS (SELECT order_id, arg_max(status, version) AS status FROM order_statuses GROUP BY order_id),
  period_orders AS (
    SELECT o.*, s.status FROM orders o JOIN current_status s USING (order_id)
    WHERE o.placed_at >= CAST($1 AS TIMESTAMP) AND o.placed_at < CAST($2 AS TIMESTAMP)
  ),
  live_products AS (SELECT * FROM product_versions WHERE NOT deleted),
  current_products AS (
    SELECT product_id, arg_max(name, version) AS name, arg_max(category_id, version) AS category_id FROM product_versions GROUP BY product_id
  ),
  ordered_lines AS (
    SELECT l.product_id, l.quantity, o.order_id, o.placed_at, o.currency_code
    FROM order_lines l JOIN period_orders o USING (order_id) WHERE o.status IN ('PENDING', 'CONFIRMED')
  ),
  sold_lines AS (
    SELECT l.*, coalesce(p.name, '') AS order_time_name, coalesce(p.category_id, '') AS category_id,
           coalesce(p.price_minor, 0) * l.quantity AS revenue_minor
    FROM ordered_lines l ASOF LEFT JOIN live_products p ON l.product_id = p.product_id AND l.placed_at >= p.valid_from
  )`;

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const big = (value: unknown) => (typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value ?? 0))));
const money = (amount: unknown, currency: unknown) => ({ amountMinor: big(amount), currencyCode: text(currency) });

/** The dashboard's queries over the DuckDB read model. */
export class DuckDbReportQueries implements ReportQueries {
  constructor(private readonly database: AnalyticsDatabase) {}

  private rows(period: Period, sql: string, extra: (string | number)[] = []) {
    return this.database.query(`${ordersInPeriod} ${sql}`, [timestampValue(period.start), timestampValue(period.end), ...extra]);
  }

  /** Lines of pending and confirmed orders, by UTC day, category at order time and currency. */
  async revenueByCategory(period: Period, page: PageRequest): Promise<CategoryDayRevenue[]> {
    const rows = await this.rows(
      period,
      `SELECT strftime(placed_at, '%Y-%m-%d') AS day, category_id, currency_code, sum(revenue_minor)::BIGINT AS revenue,
              sum(quantity)::BIGINT AS units, count(DISTINCT order_id)::BIGINT AS orders
       FROM sold_lines GROUP BY ALL ORDER BY day, category_id, currency_code LIMIT $3 OFFSET $4`,
      [page.size + 1, page.offset],
    );
    return rows.map((row) => ({ day: text(row.day), categoryId: text(row.category_id), revenue: money(row.revenue, row.currency_code), units: big(row.units), orders: big(row.orders) }));
  }

  /** Products by units sold, with the names they sold under and the names they have now. */
  async topProducts(period: Period, limit: number): Promise<ProductSales[]> {
    const rows = await this.rows(
      period,
      `SELECT s.product_id, s.currency_code, list_sort(list_distinct(list(s.order_time_name))) AS names, sum(s.quantity)::BIGINT AS units,
              sum(s.revenue_minor)::BIGINT AS revenue, any_value(c.name) AS current_name, any_value(c.category_id) AS current_category_id
       FROM sold_lines s LEFT JOIN current_products c USING (product_id)
       GROUP BY s.product_id, s.currency_code ORDER BY units DESC, s.product_id, s.currency_code LIMIT $3`,
      [limit],
    );
    return rows.map((row) => ({
      productId: text(row.product_id),
      currentName: text(row.current_name),
      currentCategoryId: text(row.current_category_id),
      orderTimeNames: (row.names as unknown[] | null ?? []).map(text),
      units: big(row.units),
      revenue: money(row.revenue, row.currency_code),
    }));
  }

  /** Orders placed in the period by their current status and currency. */
  async ordersByStatus(period: Period): Promise<StatusCount[]> {
    const rows = await this.rows(
      period,
      `SELECT status, coalesce(currency_code, '') AS currency_code, count(*)::BIGINT AS orders, coalesce(sum(total_minor), 0)::BIGINT AS total
       FROM period_orders GROUP BY ALL ORDER BY status, currency_code`,
    );
    return rows.map((row) => ({ status: text(row.status) as OrderStatus, orders: big(row.orders), total: money(row.total, row.currency_code) }));
  }

  /** Per signup month and currency: ordering customers, orders, total and average (rejected and cancelled orders excluded). */
  async cohortOrderValues(period: Period, page: PageRequest): Promise<CohortOrderValue[]> {
    const rows = await this.rows(
      period,
      `, current_users AS (
          SELECT user_id, arg_max(display_name, version) AS current_name, arg_max(signed_up_at, version) AS signed_up_at FROM user_versions GROUP BY user_id
        ),
        customer_orders AS (
          SELECT customer_id, currency_code, count(*) AS orders, sum(total_minor) AS total, max(placed_at) AS last_at
          FROM period_orders WHERE status IN ('PENDING', 'CONFIRMED') GROUP BY customer_id, currency_code
        ),
        named AS (
          SELECT c.*, u.display_name AS order_time_name FROM customer_orders c
          ASOF LEFT JOIN user_versions u ON c.customer_id = u.user_id AND c.last_at >= u.valid_from
        ),
        cohorted AS (
          SELECT n.*, coalesce(strftime(cu.signed_up_at, '%Y-%m'), 'unknown') AS cohort, coalesce(cu.current_name, '') AS current_name,
                 row_number() OVER (PARTITION BY cohort, n.currency_code ORDER BY n.customer_id) AS rank
          FROM named n LEFT JOIN current_users cu ON cu.user_id = n.customer_id
        )
        SELECT cohort, currency_code, count(*)::BIGINT AS customers, sum(orders)::BIGINT AS orders, sum(total)::BIGINT AS total,
               list({'id': customer_id, 'then': coalesce(order_time_name, ''), 'now': current_name} ORDER BY customer_id) FILTER (WHERE rank <= 5) AS sample
        FROM cohorted GROUP BY cohort, currency_code ORDER BY cohort, currency_code LIMIT $3 OFFSET $4`,
      [page.size + 1, page.offset],
    );
    return rows.map((row) => {
      const total = big(row.total);
      const orders = big(row.orders);
      const sample = (row.sample as Array<{ id: unknown; then: unknown; now: unknown }> | null) ?? [];
      return {
        cohort: text(row.cohort),
        customers: big(row.customers),
        orders,
        total: money(total, row.currency_code),
        averageOrderValue: money(averageMinor(total, orders), row.currency_code),
        sampleCustomers: sample.map((customer) => ({ customerId: text(customer.id), orderTimeName: text(customer.then), currentName: text(customer.now) })),
      };
    });
  }

  /** Checkouts that created an order in the period, and how many of them stand rejected. */
  async rejectedCheckouts(period: Period): Promise<RejectedCheckouts> {
    const [row] = await this.rows(period, `SELECT count(*)::BIGINT AS checkouts, count(*) FILTER (WHERE status = 'REJECTED')::BIGINT AS rejected FROM period_orders`);
    return { checkouts: big(row?.checkouts), rejected: big(row?.rejected) };
  }
}
