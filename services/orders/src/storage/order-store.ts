import type pg from 'pg';
import { joinAddressLines } from '../domain/address.js';
import type { Order } from '../domain/order.js';
import type { NewOrder, OrderStore, Transition } from '../domain/ports.js';
import { customerNameOf, upsertCustomerName } from './customer-names.js';
import { appendCreatedEvent, appendStatusEvent } from './order-events.js';
import { isOrderId, orderOfRow, orderSelect, queryOrders, type OrderRow } from './order-rows.js';
import type { OutboxWriter } from './outbox.js';
import type { SchemaFeatures } from './schema-features.js';
import { inTransaction } from './transaction.js';
import type { WriteLsns } from './write-lsns.js';

/** What the store needs besides its pool. */
export interface PgOrderStoreOptions {
  readonly outbox: OutboxWriter;
  readonly features: SchemaFeatures;
  readonly writeLsns: WriteLsns;
  /** A saga left unfinished this long is picked up by the recovery loop. */
  readonly staleMs: number;
  /** Called after each committed change, for example to wake the outbox relay. */
  readonly afterCommit: () => void;
}

/** Orders on the primary: each change and its outbox event in one transaction. */
export class PgOrderStore implements OrderStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PgOrderStoreOptions,
  ) {}

  async insert(order: NewOrder): Promise<{ order: Order; created: boolean }> {
    const { result: stored, commitLsn } = await inTransaction(this.pool, async (client) => {
      const row = await this.insertOrderWithItems(client, order);
      if (!row) return undefined;
      const currentName = order.customer
        ? await upsertCustomerName(client, { customerId: order.customer.id, displayName: order.customer.displayName, version: order.customer.version })
        : await customerNameOf(client, order.customerId);
      await appendCreatedEvent(this.options.outbox, client, order);
      return orderOfRow({ ...row, customer_current_name: currentName ?? null }, order.items);
    });
    if (!stored) return { order: (await this.getByIdempotencyKey(order.idempotencyKey))!, created: false };
    this.committed(order.id, order.customerId, commitLsn);
    return { order: stored, created: true };
  }

  async transition(current: Order, transition: Transition): Promise<Order | undefined> {
    const { result: changed, commitLsn } = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<OrderRow>(
        `UPDATE orders SET status = $2, saga_step = $3, status_reason = coalesce($4, status_reason), version = version + 1,
           saga_attempts = 0, next_attempt_at = now() + $7 * interval '1 millisecond', updated_at = now()
         WHERE id = $1 AND status = $5 AND saga_step = $6 RETURNING *`,
        [current.id, transition.to.status, transition.to.sagaStep, transition.to.reason ?? null, transition.from.status, transition.from.sagaStep, this.options.staleMs],
      );
      const row = rows[0];
      if (!row) return undefined;
      const order = orderOfRow({ ...row, customer_current_name: current.customerCurrentName }, current.items);
      await appendStatusEvent(this.options.outbox, client, { id: order.id, customerId: order.customerId, version: order.version, status: order.status, reason: order.statusReason });
      return order;
    });
    if (!changed) return undefined;
    this.committed(changed.id, changed.customerId, commitLsn);
    return changed;
  }

  async deferSaga(id: string, retryInMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE orders SET saga_attempts = saga_attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond' WHERE id = $1`,
      [id, retryInMs],
    );
  }

  async finishRelease(id: string): Promise<void> {
    await this.pool.query(`UPDATE orders SET saga_step = 'done' WHERE id = $1 AND saga_step = 'release'`, [id]);
  }

  async claimDueSagas(limit: number, leaseMs: number): Promise<Order[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE orders SET next_attempt_at = now() + $2 * interval '1 millisecond'
       WHERE id IN (SELECT id FROM orders WHERE saga_step <> 'done' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [limit, leaseMs],
    );
    if (rows.length === 0) return [];
    return queryOrders(this.pool, `${orderSelect} WHERE o.id = ANY($1::uuid[]) ORDER BY o.seq`, [rows.map((row) => row.id)]);
  }

  async get(id: string): Promise<Order | undefined> {
    if (!isOrderId(id)) return undefined;
    const [order] = await queryOrders(this.pool, `${orderSelect} WHERE o.id = $1`, [id]);
    return order;
  }

  async getByIdempotencyKey(key: string): Promise<Order | undefined> {
    const [order] = await queryOrders(this.pool, `${orderSelect} WHERE o.idempotency_key = $1`, [key]);
    return order;
  }

  private committed(orderId: string, customerId: string, lsn: string): void {
    this.options.writeLsns.note(orderId, customerId, lsn);
    this.options.afterCommit();
  }

  /** Inserts the order and its lines in one statement; undefined (nothing written) when its idempotency key is taken. */
  private async insertOrderWithItems(client: pg.ClientBase, order: NewOrder): Promise<OrderRow | undefined> {
    const columns: Record<string, unknown> = {
      id: order.id,
      idempotency_key: order.idempotencyKey,
      customer_id: order.customerId,
      customer_name: order.customer?.displayName ?? '',
      status: order.status,
      status_reason: order.statusReason,
      saga_step: order.status === 'PENDING' ? 'reserve' : 'done',
      total_minor: order.total.amountMinor.toString(),
      currency_code: order.total.currencyCode,
      version: '1',
      ...this.addressColumns(order),
    };
    const names = Object.keys(columns);
    const next = names.length + 1;
    const { rows } = await client.query<OrderRow>(
      `WITH inserted AS (
         INSERT INTO orders (${names.join(', ')}, next_attempt_at)
         VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')}, now() + $${next} * interval '1 millisecond')
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *
       ), lines AS (
         INSERT INTO order_items (order_id, position, product_id, product_name, unit_price_minor, currency_code, quantity)
         SELECT inserted.id, t.position, t.product_id, t.product_name, t.unit_price_minor, t.currency_code, t.quantity
         FROM inserted, unnest($${next + 1}::int[], $${next + 2}::text[], $${next + 3}::text[], $${next + 4}::bigint[], $${next + 5}::text[], $${next + 6}::int[])
           AS t(position, product_id, product_name, unit_price_minor, currency_code, quantity)
       )
       SELECT * FROM inserted`,
      [
        ...Object.values(columns),
        this.options.staleMs,
        order.items.map((_, index) => index),
        order.items.map((item) => item.productId),
        order.items.map((item) => item.productName),
        order.items.map((item) => item.unitPrice.amountMinor.toString()),
        order.items.map((item) => item.unitPrice.currencyCode),
        order.items.map((item) => item.quantity),
      ],
    );
    return rows[0];
  }

  private addressColumns(order: NewOrder): Record<string, string> {
    const { features } = this.options;
    const address = order.shippingAddress;
    return {
      ...(features.singleLineAddress ? { shipping_address: joinAddressLines(address) } : {}),
      ...(features.addressLines ? { shipping_address_line1: address.line1, shipping_address_line2: address.line2, shipping_address_line3: address.line3 } : {}),
    };
  }
}
