import { randomUUID } from 'node:crypto';
import { failedPrecondition, notFound } from '@shop/runtime/errors';
import { validateCheckoutInput, validateOrderKey, type CheckoutInput } from './checkout-input.js';
import type { CheckoutSaga } from './checkout-saga.js';
import { draftOrder, productRejection } from './order-draft.js';
import type { Order } from './order.js';
import type { Catalog, Customers, NewOrder, OrderStore } from './ports.js';

/** Places and cancels orders: the entry points of the checkout saga. */
export class Checkout {
  constructor(
    private readonly store: OrderStore,
    private readonly catalog: Catalog,
    private readonly customers: Customers,
    private readonly saga: CheckoutSaga,
  ) {}

  /**
   * Places an order once per idempotency key: one product lookup, then (unless the products' answer already refuses
   * the order, as in a sold-out rush) one customer lookup, then the saga. A key already
   * used by the same customer returns that order whatever the rest of the request says (so a retry needs no items);
   * a key used by another customer is refused without telling anything about that order. The key is looked up only
   * when the request cannot be drafted (a retry with no items, a peer down): otherwise the insert finds it taken.
   */
  async placeOrder(request: CheckoutInput): Promise<Order> {
    validateOrderKey(request);
    let draft: NewOrder;
    try {
      draft = await this.draft(request);
    } catch (error) {
      const existing = await this.store.getByIdempotencyKey(request.idempotencyKey);
      if (!existing) throw error;
      return ownedBy(existing, request.customerId);
    }
    const { order, created } = await this.store.insert(draft);
    if (!created) return ownedBy(order, draft.customerId);
    this.saga.checkpoint('stored');
    try {
      return await this.saga.advance(order);
    } finally {
      await this.store.settle(order.id);
    }
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

  private async draft(request: CheckoutInput): Promise<NewOrder> {
    const input = validateCheckoutInput(request);
    const batch = await this.catalog.batchGet(input.items.map((item) => item.productId));
    const customer = productRejection(input, batch.products, batch.missingIds) ? undefined : await this.customers.get(input.customerId);
    return draftOrder(randomUUID(), input, batch.products, batch.missingIds, customer);
  }
}

function ownedBy(order: Order, customerId: string): Order {
  if (order.customerId !== customerId) throw failedPrecondition('idempotency_key is already used by another order');
  return order;
}
