import { appendToOutbox, inTransactionWithCommitLsn, statementToSend, type ConnectionPool, type Queryable } from '@shop/postgres';
import { joinAddressLines } from '../domain/address.js';
import type { Order } from '../domain/order.js';
import type { NewOrder, OrderEvents, OrderStore, OutgoingEvent, Transition } from '../domain/ports.js';
import type { WriteLsns } from '../domain/write-lsns.js';
import { isOrderId, orderSelect, queryOrders, toOrder, type OrderRow } from './order-rows.js';
import { OrderStatements } from './order-statements.js';
import type { SchemaFeatures } from './schema-features.js';
import { WalPosition } from './wal-position.js';

/** What the store needs besides its pool. */
export interface PgOrderStoreOptions {
  readonly events: OrderEvents;
  readonly features: SchemaFeatures;
  readonly writeLsns: WriteLsns;
  /** A saga left unfinished this long is picked up by the recovery loop. */
  readonly staleMs: number;
  /** Statements are sent named (prepared once per connection); false behind a transaction pooler that cannot keep them. */
  readonly namedStatements: boolean;
  /** Called after each committed change, for example to wake the outbox relay. */
  readonly afterCommit: () => void;
}

/** Orders on the primary: each change and its outbox event in one transaction. */
export class PgOrderStore implements OrderStore {
  private readonly statements: OrderStatements;
  private readonly walPosition: WalPosition;
  /** Customers of PENDING orders inserted without a write position yet, by order id. */
  private readonly unsettled = new Map<string, string>();

  constructor(
    private readonly pool: ConnectionPool,
    private readonly options: PgOrderStoreOptions,
  ) {
    this.statements = new OrderStatements(options.features);
    this.walPosition = new WalPosition(pool, options.namedStatements);
  }

  async insert(order: NewOrder): Promise<{ order: Order; created: boolean }> {
    const customer = order.customer ? [order.customer.id, order.customer.displayName, order.customer.version.toString()] : undefined;
    const statement = this.statements.insertOrder(this.orderColumns(order), itemArrays(order), this.options.staleMs, customer, this.options.events.created(order));
    const { rows } = await this.pool.query<OrderRow>(statementToSend(statement, this.options.namedStatements));
    const row = rows[0];
    if (!row) return { order: (await this.getByIdempotencyKey(order.idempotencyKey))!, created: false };
    if (order.status === 'PENDING') {
      this.unsettled.set(order.id, order.customerId);
      this.options.afterCommit();
    } else this.committed(order.id, order.customerId, await this.walPosition.afterCommits());
    return { order: toOrder(row, order.items), created: true };
  }

  async settle(orderId: string): Promise<void> {
    const customerId = this.unsettled.get(orderId);
    if (customerId === undefined) return;
    this.unsettled.delete(orderId);
    this.options.writeLsns.note(orderId, customerId, await this.walPosition.afterCommits());
  }

  async advance(order: Order, to: Transition['to']): Promise<Order | undefined> {
    const reason = to.reason ?? order.statusReason;
    const event = this.options.events.statusChanged({ id: order.id, customerId: order.customerId, version: order.version + 1n, status: to.status, reason });
    const values = { id: order.id, status: to.status, sagaStep: to.sagaStep, reason, fromStatus: order.status, fromStep: order.sagaStep, version: order.version, staleMs: this.options.staleMs };
    const statement = this.statements.transition(values, event);
    const { rows } = await this.pool.query<OrderRow>(statementToSend(statement, this.options.namedStatements));
    const row = rows[0];
    if (!row) return this.transition(order.id, { from: { status: order.status, sagaStep: order.sagaStep }, to });
    this.committed(order.id, order.customerId, await this.walPosition.afterCommits());
    return toOrder(row, order.items);
  }

  async transition(id: string, transition: Transition): Promise<Order | undefined> {
    const { result: changed, commitLsn } = await inTransactionWithCommitLsn(this.pool, async (client) => {
      const { rows } = await client.query<{ customer_id: string; version: string; status_reason: string }>(
        `UPDATE orders SET status = $2, saga_step = $3, status_reason = coalesce($4, status_reason), version = version + 1,
           saga_attempts = 0, next_attempt_at = now() + $7 * interval '1 millisecond', updated_at = now()
         WHERE id = $1 AND status = $5 AND saga_step = $6 RETURNING customer_id, version, status_reason`,
        [id, transition.to.status, transition.to.sagaStep, transition.to.reason ?? null, transition.from.status, transition.from.sagaStep, this.options.staleMs],
      );
      const row = rows[0];
      if (!row) return undefined;
      const change = { id, customerId: row.customer_id, version: BigInt(row.version), status: transition.to.status, reason: row.status_reason };
      await this.recordEvent(client, this.options.events.statusChanged(change));
      return change;
    });
    if (!changed) return undefined;
    this.committed(id, changed.customerId, commitLsn);
    return this.get(id);
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

  private async recordEvent(client: Queryable, event: OutgoingEvent | undefined): Promise<void> {
    if (event) await appendToOutbox(client, event);
  }

  private committed(orderId: string, customerId: string, lsn: string): void {
    this.unsettled.delete(orderId);
    this.options.writeLsns.note(orderId, customerId, lsn);
    this.options.afterCommit();
  }

  private orderColumns(order: NewOrder): Record<string, unknown> {
    return {
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

function itemArrays(order: NewOrder): unknown[][] {
  return [
    order.items.map((_, index) => index),
    order.items.map((item) => item.productId),
    order.items.map((item) => item.productName),
    order.items.map((item) => item.unitPrice.amountMinor.toString()),
    order.items.map((item) => item.unitPrice.currencyCode),
    order.items.map((item) => item.quantity),
  ];
}
