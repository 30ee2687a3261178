import { invalidArgument } from '@shop/runtime/errors';
import type { Order } from '../domain/order.js';
import type { OrderPage, OrderReader } from '../domain/ports.js';
import { isOrderId, orderSelect, queryOrders } from './order-rows.js';
import type { ReadRouting } from './read-routing.js';
import { laterLsn, type WriteLsns } from '../domain/write-lsns.js';

/** Order reads on the replica, waiting (bounded) for this process's own latest writes or a caller-given position. */
export class PgOrderReader implements OrderReader {
  constructor(
    private readonly routing: ReadRouting,
    private readonly writeLsns: WriteLsns,
  ) {}

  async get(id: string, readAfterLsn?: string): Promise<Order | undefined> {
    if (!isOrderId(id)) return undefined;
    const lsn = laterLsn(this.writeLsns.ofOrder(id), readAfterLsn);
    const [order] = await this.routing.read(lsn, (db) => queryOrders(db, `${orderSelect} WHERE o.id = $1`, [id]));
    return order;
  }

  async listByCustomer(customerId: string, pageSize: number, pageToken: string, readAfterLsn?: string): Promise<OrderPage> {
    if (pageToken && !isOrderId(pageToken)) throw invalidArgument('page_token', 'is not a token from a previous response');
    const lsn = laterLsn(this.writeLsns.ofCustomer(customerId), readAfterLsn);
    const orders = await this.routing.read(lsn, (db) =>
      queryOrders(
        db,
        `${orderSelect} WHERE o.customer_id = $1
           AND ($2::uuid IS NULL OR o.seq < (SELECT seq FROM orders WHERE id = $2::uuid))
         ORDER BY o.seq DESC LIMIT $3`,
        [customerId, pageToken || null, pageSize + 1],
      ),
    );
    const page = orders.slice(0, pageSize);
    return { orders: page, nextPageToken: orders.length > pageSize ? page[page.length - 1]!.id : '' };
  }
}
