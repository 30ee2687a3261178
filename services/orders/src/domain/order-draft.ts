import type { CheckoutInput } from './checkout-input.js';
import { lineTotal, type Money, type OrderItem } from './order.js';
import type { CatalogProduct, Customer, NewOrder } from './ports.js';

/** Builds the order to store from the request and what products and users answered: PENDING, or REJECTED with a reason. */
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
  const reason = rejectionReason(input.customerId, customer, missingIds, currencies);
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

function totalOf(items: readonly OrderItem[], currencies: readonly string[]): Money {
  if (currencies.length !== 1) return { amountMinor: 0n, currencyCode: '' };
  const amountMinor = items.reduce((sum, item) => sum + lineTotal(item).amountMinor, 0n);
  return { amountMinor, currencyCode: currencies[0]! };
}
