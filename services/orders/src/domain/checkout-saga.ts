import { annotateActiveSpan, inSpan } from '@shop/runtime/tracing';
import type { Order } from './order.js';
import type { Catalog, DomainLogger, OrderStore } from './ports.js';

/** A saga step after which a fault-injection hook may act (tests crash the process there). */
export type SagaCheckpoint = 'stored' | 'reserved';

/** Tuning of the checkout saga. */
export interface SagaOptions {
  /** After this long since the order was placed, an unreachable products service rejects the order. */
  readonly giveUpMs: number;
  readonly logger: DomainLogger;
  readonly afterStep?: (step: SagaCheckpoint) => void;
}

/** Drives an order through reserve → CONFIRMED/REJECTED and through the release compensation; safe to run twice. */
export class CheckoutSaga {
  constructor(
    private readonly store: OrderStore,
    private readonly catalog: Catalog,
    private readonly options: SagaOptions,
  ) {}

  /** Runs whatever the order's saga still has to do, in a span named for the step (its outcome annotated), and returns the order as it then stands. */
  async advance(order: Order): Promise<Order> {
    if (order.sagaStep === 'reserve' && order.status === 'PENDING') return inSpan('saga.reserve', { 'order.id': order.id }, () => this.reserve(order));
    if (order.sagaStep === 'release') return inSpan('saga.release', { 'order.id': order.id, 'order.status': order.status, 'saga.compensation': true }, () => this.release(order));
    return order;
  }

  /** Calls the fault-injection hook, if any. */
  checkpoint(step: SagaCheckpoint): void {
    this.options.afterStep?.(step);
  }

  private async reserve(order: Order): Promise<Order> {
    let outcome: Awaited<ReturnType<Catalog['reserve']>>;
    try {
      outcome = await this.catalog.reserve(order.id, order.items);
    } catch (error) {
      return this.deferOrGiveUp(order, error);
    }
    if (outcome.reserved) {
      this.checkpoint('reserved');
      return this.move(order, { status: 'CONFIRMED', sagaStep: 'done' });
    }
    const reason = outcome.refusal ?? `out of stock: ${outcome.shortProductIds.join(', ')}`;
    return this.move(order, { status: 'REJECTED', sagaStep: 'done', reason });
  }

  private async deferOrGiveUp(order: Order, error: unknown): Promise<Order> {
    const reason = error instanceof Error ? error.message : String(error);
    if (Date.now() - order.createTime.getTime() < this.options.giveUpMs) {
      this.options.logger.warn({ orderId: order.id, reason }, 'stock reservation failed; will retry');
      await this.store.deferSaga(order.id, backoffMs(order.sagaAttempts));
      return this.latest(order);
    }
    const rejected = await this.move(order, { status: 'REJECTED', sagaStep: 'release', reason });
    return inSpan('saga.release', { 'order.id': order.id, 'saga.compensation': true }, () => this.release(rejected));
  }

  private async release(order: Order): Promise<Order> {
    try {
      await this.catalog.release(order.id);
      await this.store.finishRelease(order.id);
    } catch (error) {
      this.options.logger.warn({ orderId: order.id, err: error }, 'stock release failed; will retry');
      await this.store.deferSaga(order.id, backoffMs(order.sagaAttempts));
    }
    return this.latest(order);
  }

  private async move(order: Order, to: { status: Order['status']; sagaStep: Order['sagaStep']; reason?: string }): Promise<Order> {
    const moved = await this.store.advance(order, to);
    annotateActiveSpan({ 'order.status': to.status, 'saga.step': to.sagaStep });
    return moved ?? this.latest(order);
  }

  private async latest(order: Order): Promise<Order> {
    return (await this.store.get(order.id)) ?? order;
  }
}

function backoffMs(attempts: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(attempts, 6));
}
