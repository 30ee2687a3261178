import type { CheckoutInput } from './checkout-input.js';
import { lineTotal, type Money, type OrderItem } from './order.js';
import type { CatalogProduct, Customer, NewOrder } from './ports.js';

/**
 * Why the products' answer alone refuses the order, if it does: unknown products, mixed currencies, or a line the
 * stock products just reported cannot cover (the reservation would refuse it). Such an order needs no customer lookup.
 */
export function productRejection(input: CheckoutInput, products: readonly CatalogProduct[], missingIds: readonly string[]): string | undefined {
  if (missingIds.length > 0) return `unknown products: ${missingIds.join(', ')}`;
  const currencies = currenciesOf(products);
  if (currencies.length > 1) return `mixed currencies: ${currencies.join(', ')}`;
  const stock = new Map(products.map((product) => [product.id, product.stock]));
  const short = input.items.filter((item) => (stock.get(item.productId) ?? 0) < item.quantity).map((item) => item.productId);
  return short.length > 0 ? `out of stock: ${short.join(', ')}` : undefined;
}

/**
 * Builds the order to store from the request and what products and users answered: REJECTED with the products'
 * reason if there is one (productRejection, the customer then not asked), else with "customer ... not found" when
 * users does not know the customer, else PENDING.
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
  const reason = productRejection(input, products, missingIds) ?? (customer ? undefined : `customer ${input.customerId} not found`);
  return {
    id,
    idempotencyKey: input.idempotencyKey,
    customerId: input.customerId,
    customer,
    items,
    total: totalOf(items, currenciesOf(products)),
    shippingAddress: input.shippingAddress,
    status: reason ? 'REJECTED' : 'PENDING',
    statusReason: reason ?? '',
  };
}

function currenciesOf(products: readonly CatalogProduct[]): string[] {
  return [...new Set(products.map((product) => product.price.currencyCode))];
}

function totalOf(items: readonly OrderItem[], currencies: readonly string[]): Money {
  if (currencies.length !== 1) return { amountMinor: 0n, currencyCode: '' };
  const amountMinor = items.reduce((sum, item) => sum + lineTotal(item).amountMinor, 0n);
  return { amountMinor, currencyCode: currencies[0]! };
}
