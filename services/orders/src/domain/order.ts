/** Integer minor units of one currency. */
export interface Money {
  readonly amountMinor: bigint;
  readonly currencyCode: string;
}

/** Where an order ships: three free-text lines. */
export interface ShippingAddress {
  readonly line1: string;
  readonly line2: string;
  readonly line3: string;
}

/** The state of an order in its checkout saga. */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED';

/** What the saga still has to do: reserve stock, release it (compensation), or nothing. */
export type SagaStep = 'reserve' | 'release' | 'done';

/** One line of an order with copies of the product's name and price at order time. */
export interface OrderItem {
  readonly productId: string;
  readonly productName: string;
  readonly unitPrice: Money;
  readonly quantity: number;
}

/** An order with its saga state. */
export interface Order {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly customerCurrentName: string;
  readonly status: OrderStatus;
  readonly statusReason: string;
  readonly sagaStep: SagaStep;
  readonly sagaAttempts: number;
  readonly items: readonly OrderItem[];
  readonly total: Money;
  readonly shippingAddress: ShippingAddress;
  readonly version: bigint;
  readonly createTime: Date;
  readonly updateTime: Date;
}

/** unit price times quantity. */
export function lineTotal(item: OrderItem): Money {
  return { amountMinor: item.unitPrice.amountMinor * BigInt(item.quantity), currencyCode: item.unitPrice.currencyCode };
}
