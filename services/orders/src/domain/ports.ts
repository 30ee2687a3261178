import type { Money, Order, OrderItem, OrderStatus, SagaStep, ShippingAddress } from './order.js';

/** A product as the checkout needs it. */
export interface CatalogProduct {
  readonly id: string;
  readonly name: string;
  readonly price: Money;
  /** Units in stock when the products service answered. */
  readonly stock: number;
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
  /**
   * Stores a new order, or returns the order already stored under its idempotency key. The write position of a new
   * PENDING order is left to the saga's next write, which records a later one, or to settle().
   */
  insert(order: NewOrder): Promise<{ order: Order; created: boolean }>;
  /** Records a write position covering the order's insert if no later write of it recorded one (reads then see it). */
  settle(orderId: string): Promise<void>;
  /** Applies a transition and returns the changed order, or undefined when the order was no longer in the expected state. */
  transition(id: string, transition: Transition): Promise<Order | undefined>;
  /** Applies a transition to the order as the caller holds it; the changed order, or undefined when it was no longer in that state. */
  advance(order: Order, to: Transition['to']): Promise<Order | undefined>;
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

/** Where domain code reports what it recovers from: the service's logger. */
export interface DomainLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/** An encoded event ready for the outbox: the store writes it in the same transaction as the change. */
export interface OutgoingEvent {
  readonly id: string;
  readonly subject: string;
  readonly type: string;
  readonly payload: Uint8Array;
}

/** What a status change event carries. */
export interface StatusChange {
  readonly id: string;
  readonly customerId: string;
  readonly version: bigint;
  readonly status: OrderStatus;
  readonly reason: string;
}

/** Builds the events of order changes: OrderPlaced, OrderConfirmed, OrderRejected, OrderCancelled. */
export interface OrderEvents {
  /** The event of a newly stored order: OrderPlaced when PENDING, OrderRejected when refused at once. */
  created(order: NewOrder): OutgoingEvent;
  /** The event of a status change, or undefined for a status that publishes none. */
  statusChanged(change: StatusChange): OutgoingEvent | undefined;
}

/** A customer's display name at a version of the user, as the users service announced it. */
export interface CustomerName {
  readonly customerId: string;
  readonly displayName: string;
  readonly version: bigint;
}

/** The local, event-fed copy of customers' current display names. */
export interface CustomerNameCopies {
  /** Stores the name unless the same or a newer version is stored; resolves with whether it changed anything. */
  keepNewest(name: CustomerName): Promise<boolean>;
}
