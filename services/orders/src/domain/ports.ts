import type { Money, Order, OrderItem, OrderStatus, SagaStep, ShippingAddress } from './order.js';

/** A product as the checkout needs it. */
export interface CatalogProduct {
  readonly id: string;
  readonly name: string;
  readonly price: Money;
}

/** What products answered to a reservation; refusal explains a refusal that was not about stock. */
export interface ReservationOutcome {
  readonly reserved: boolean;
  readonly shortProductIds: string[];
  readonly refusal?: string;
}

/** The products service as the checkout sees it; it throws only when products could not answer. */
export interface Catalog {
  /** Looks up all products in one call; unknown ids are listed, not failed. */
  batchGet(ids: readonly string[]): Promise<{ products: CatalogProduct[]; missingIds: string[] }>;
  /** Reserves every item or none, idempotent by reservation id. */
  reserve(reservationId: string, items: ReadonlyArray<{ productId: string; quantity: number }>): Promise<ReservationOutcome>;
  /** Returns a reservation's units to stock, once. */
  release(reservationId: string): Promise<void>;
}

/** A customer as the checkout needs it. */
export interface Customer {
  readonly id: string;
  readonly displayName: string;
  readonly version: bigint;
}

/** The users service as the checkout sees it. */
export interface Customers {
  /** The customer, or undefined when no such user exists. */
  get(id: string): Promise<Customer | undefined>;
}

/** A new order to store. */
export interface NewOrder {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly customer: Customer | undefined;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly total: Money;
  readonly shippingAddress: ShippingAddress;
  readonly status: 'PENDING' | 'REJECTED';
  readonly statusReason: string;
}

/** A saga transition: applied only if the order is still in the expected status and step. */
export interface Transition {
  readonly from: { status: OrderStatus; sagaStep: SagaStep };
  readonly to: { status: OrderStatus; sagaStep: SagaStep; reason?: string };
}

/** Writes and reads of orders on the primary; every change also writes its event to the outbox. */
export interface OrderStore {
  /** Stores a new order, or returns the order already stored under its idempotency key. */
  insert(order: NewOrder): Promise<{ order: Order; created: boolean }>;
  /**
   * Applies a transition to the order and returns it changed (its lines and names as in `current`), or undefined when
   * the order was no longer in the expected state.
   */
  transition(current: Order, transition: Transition): Promise<Order | undefined>;
  /** Records a failed saga attempt and when to try again. */
  deferSaga(id: string, retryInMs: number): Promise<void>;
  /** Marks the release compensation done. */
  finishRelease(id: string): Promise<void>;
  /** Claims up to limit orders whose saga is due, leasing them for leaseMs. */
  claimDueSagas(limit: number, leaseMs: number): Promise<Order[]>;
  /** Reads an order on the primary. */
  get(id: string): Promise<Order | undefined>;
  /** Reads an order by its idempotency key on the primary. */
  getByIdempotencyKey(key: string): Promise<Order | undefined>;
}

/** A page of a customer's orders. */
export interface OrderPage {
  readonly orders: Order[];
  readonly nextPageToken: string;
}

/** Reads that may be served by a replica. */
export interface OrderReader {
  get(id: string, readAfterLsn?: string): Promise<Order | undefined>;
  listByCustomer(customerId: string, pageSize: number, pageToken: string, readAfterLsn?: string): Promise<OrderPage>;
}
