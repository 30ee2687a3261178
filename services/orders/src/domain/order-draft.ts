import type { CheckoutInput } from './checkout-input.js';
import { lineTotal, type Money, type OrderItem } from './order.js';
import type { CatalogProduct, Customer, NewOrder } from './ports.js';

/**
 * Builds the order to store from the request and what products and users answered: PENDING, or REJECTED with a
 * reason, also when the stock products just reported cannot cover a line (the reservation would refuse it).
 */
export function draftOrder(id: string, input: CheckoutInput, products: readonly CatalogProduct[], missingIds: readonly string[], customer: Customer | undefined): NewOrder {
  const byId = new Map(products.map((product) => [product.id, product]));
  const items = input.items.map((item): OrderItem => {
    const product = byId.get(item.productId);
    return {
      productId: item.productId,
      productName: product?.name ?? '',
      unitPrice: product?.price ?? { amountMinor: 0n, currencyCode: '' },
      quantity: item.quantity,
    };
  });
  const currencies = [...new Set(products.map((product) => product.price.currencyCode))];
  const reason = rejectionReason(input.customerId, customer, missingIds, currencies) ?? shortageReason(input, byId);
  return {
    id,
    idempotencyKey: input.idempotencyKey,
    customerId: input.customerId,
    customer,
    items,
    total: totalOf(items, currencies),
    shippingAddress: input.shippingAddress,
    status: reason ? 'REJECTED' : 'PENDING',
    statusReason: reason ?? '',
  };
}

function rejectionReason(customerId: string, customer: Customer | undefined, missingIds: readonly string[], currencies: readonly string[]): string | undefined {
  if (!customer) return `customer ${customerId} not found`;
  if (missingIds.length > 0) return `unknown products: ${missingIds.join(', ')}`;
  if (currencies.length > 1) return `mixed currencies: ${currencies.join(', ')}`;
  return undefined;
}

function shortageReason(input: CheckoutInput, products: ReadonlyMap<string, CatalogProduct>): string | undefined {
  const short = input.items.filter((item) => (products.get(item.productId)?.stock ?? 0) < item.quantity).map((item) => item.productId);
  return short.length > 0 ? `out of stock: ${short.join(', ')}` : undefined;
}

function totalOf(items: readonly OrderItem[], currencies: readonly string[]): Money {
  if (currencies.length !== 1) return { amountMinor: 0n, currencyCode: '' };
  const amountMinor = items.reduce((sum, item) => sum + lineTotal(item).amountMinor, 0n);
  return { amountMinor, currencyCode: currencies[0]! };
}
