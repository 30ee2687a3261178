/** An amount of money in integer minor units of a currency. */
export interface Money {
  readonly amountMinor: bigint;
  readonly currencyCode: string;
}

/** What every fact applied to the read model carries: its event id and the entity version it brings. */
interface FactBase {
  readonly eventId: string;
  readonly version: bigint;
  readonly occurredAt: Date;
}

/** An order placed with its lines and total (orders' OrderPlaced). */
export interface OrderPlacedFact extends FactBase {
  readonly kind: 'order-placed';
  readonly orderId: string;
  readonly customerId: string;
  readonly items: ReadonlyArray<{ readonly productId: string; readonly quantity: number }>;
  readonly total?: Money;
}

/** Where an order ends up after the saga (orders' OrderConfirmed, OrderRejected, OrderCancelled). */
export interface OrderStatusFact extends FactBase {
  readonly kind: 'order-status';
  readonly orderId: string;
  readonly customerId: string;
  readonly status: 'CONFIRMED' | 'REJECTED' | 'CANCELLED';
}

/** A product's catalog values at a version; no snapshot means it was deleted. */
export interface ProductFact extends FactBase {
  readonly kind: 'product';
  readonly productId: string;
  readonly snapshot?: { readonly name: string; readonly categoryId: string; readonly price?: Money };
}

/** A user's display name and signup time at a version. */
export interface UserFact extends FactBase {
  readonly kind: 'user';
  readonly userId: string;
  readonly displayName: string;
  readonly signedUpAt?: Date;
}

/** One event, decoded, as the read model applies it. */
export type ReadModelFact = OrderPlacedFact | OrderStatusFact | ProductFact | UserFact;
