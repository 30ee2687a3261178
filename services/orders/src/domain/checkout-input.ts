import { invalidArgument } from '@shop/runtime/errors';
import type { ShippingAddress } from './order.js';

/** A product and quantity asked for. */
export interface RequestedItem {
  readonly productId: string;
  readonly quantity: number;
}

/** A validated CreateOrder request. */
export interface CheckoutInput {
  readonly idempotencyKey: string;
  readonly customerId: string;
  readonly items: readonly RequestedItem[];
  readonly shippingAddress: ShippingAddress;
}

const maxLineLength = 200;

/** Checks what identifies an order request, the idempotency key and the customer; throws INVALID_ARGUMENT naming the field. */
export function validateOrderKey(input: Pick<CheckoutInput, 'idempotencyKey' | 'customerId'>): void {
  requireLength('idempotency_key', input.idempotencyKey, 1, 128);
  requireLength('customer_id', input.customerId, 1, 128);
}

/** Checks a CreateOrder request; throws INVALID_ARGUMENT naming the first bad field. */
export function validateCheckoutInput(input: CheckoutInput): CheckoutInput {
  validateOrderKey(input);
  if (input.items.length < 1 || input.items.length > 100) throw invalidArgument('items', 'must hold 1 to 100 lines');
  const seen = new Set<string>();
  input.items.forEach((item, index) => {
    requireLength(`items[${index}].product_id`, item.productId, 1, 128);
    if (seen.has(item.productId)) throw invalidArgument(`items[${index}].product_id`, 'each product may appear once');
    seen.add(item.productId);
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 999) {
      throw invalidArgument(`items[${index}].quantity`, 'must be 1 to 999');
    }
  });
  requireLength('shipping_address.line1', input.shippingAddress.line1.trim(), 1, maxLineLength);
  requireLength('shipping_address.line2', input.shippingAddress.line2, 0, maxLineLength);
  requireLength('shipping_address.line3', input.shippingAddress.line3, 0, maxLineLength);
  return input;
}

function requireLength(field: string, value: string, min: number, max: number): void {
  if (value.length < min) throw invalidArgument(field, 'is required');
  if (value.length > max) throw invalidArgument(field, `must be at most ${max} characters`);
}
