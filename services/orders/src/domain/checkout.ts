import { randomUUID } from 'node:crypto';
import { failedPrecondition, notFound } from '@shop/runtime';
import { validateCheckoutInput, type CheckoutInput } from './checkout-input.js';
import type { CheckoutSaga } from './checkout-saga.js';
import { draftOrder } from './order-draft.js';
import type { Order } from './order.js';
import type { Catalog, Customers, OrderStore } from './ports.js';

/** Places and cancels orders: the entry points of the checkout saga. */
export class Checkout {
  constructor(
    private readonly store: OrderStore,
    private readonly catalog: Catalog,
    private readonly customers: Customers,
    private readonly saga: CheckoutSaga,
  ) {}

  /** Places an order once per idempotency key: one product lookup, one customer lookup, then the saga. */
  async placeOrder(request: CheckoutInput): Promise<Order> {
    const input = validateCheckoutInput(request);
    const existing = await this.store.getByIdempotencyKey(input.idempotencyKey);
    if (existing) return existing;
    const [batch, customer] = await Promise.all([
      this.catalog.batchGet(input.items.map((item) => item.productId)),
      this.customers.get(input.customerId),
    ]);
    const draft = draftOrder(randomUUID(), input, batch.products, batch.missingIds, customer);
    const { order, created } = await this.store.insert(draft);
    if (!created) return order;
    this.saga.checkpoint('stored');
    return this.saga.advance(order);
  }

  /** Cancels a CONFIRMED order and releases its stock; any other state is FAILED_PRECONDITION. */
  async cancelOrder(id: string, reason: string): Promise<Order> {
    const order = await this.store.get(id);
    if (!order) throw notFound('order', id);
    const cancelled =
      order.status === 'CONFIRMED'
        ? await this.store.transition(id, {
            from: { status: 'CONFIRMED', sagaStep: 'done' },
            to: { status: 'CANCELLED', sagaStep: 'release', reason: reason || 'cancelled' },
          })
        : undefined;
    if (!cancelled) throw failedPrecondition(`order ${id} is ${order.status === 'CONFIRMED' ? 'already being cancelled' : order.status}; only a CONFIRMED order can be cancelled`);
    return this.saga.advance(cancelled);
  }
}
