import type { Degradation } from './degradation.js';
import { sum, times, type Money } from './money.js';
import type { CatalogProduct, Customer, IndexedHit, Instant, OrderStatus, PlacedOrder } from './ports.js';

/** Products by id, as one batch call returned them. */
export type ProductsById = ReadonlyMap<string, CatalogProduct>;

/** A product as the shop front shows it. */
export interface ProductView extends CatalogProduct {
  readonly available: boolean;
}

/** A search hit as the shop front shows it: live price and stock when the products batch had it. */
export interface SearchItem {
  readonly productId: string;
  readonly name: string;
  readonly categoryId: string;
  readonly price?: Money;
  readonly stock: number;
  readonly live: boolean;
  readonly highlights: Record<string, string>;
}

/** A cart line with its product's details when known. */
export interface CartLineView {
  readonly product: ProductView;
  readonly quantity: number;
  readonly lineTotal?: Money;
}

/** The cart with details and totals. */
export interface CartView {
  readonly lines: readonly CartLineView[];
  readonly total?: Money;
  readonly itemCount: number;
}

/** An order line with its copied name and price and whether the product is available now. */
export interface OrderLineView {
  readonly productId: string;
  readonly productName: string;
  readonly unitPrice?: Money;
  readonly quantity: number;
  readonly lineTotal?: Money;
  readonly availableNow: boolean;
}

/** An order as the shop front shows it. */
export interface OrderView {
  readonly id: string;
  readonly state: OrderStatus;
  readonly stateReason: string;
  readonly lines: readonly OrderLineView[];
  readonly total?: Money;
  readonly customerName: string;
  readonly shippingAddressLines: readonly string[];
  readonly createTime?: Instant;
}

/** A composed answer and the non-essential parts it lacks. */
export type Composed<T> = T & { readonly degradation: Degradation };

/** Indexes a batch of products by id. */
export function byId(products: readonly CatalogProduct[]): ProductsById {
  return new Map(products.map((product) => [product.id, product]));
}

/** A product as the shop front shows it. */
export function productView(product: CatalogProduct): ProductView {
  const { id, sku, name, description, categoryId, price, stock } = product;
  return { id, sku, name, description, categoryId, ...(price ? { price } : {}), stock, available: stock > 0 };
}

/** A search hit with live price and stock when the products batch has it, else the indexed values. */
export function searchItem(hit: IndexedHit, live: ProductsById | undefined): SearchItem {
  const product = live?.get(hit.productId);
  const price = product?.price ?? hit.price;
  return {
    productId: hit.productId,
    name: product?.name ?? hit.name,
    categoryId: hit.categoryId,
    ...(price ? { price } : {}),
    stock: product?.stock ?? 0,
    live: product !== undefined,
    highlights: Object.fromEntries(hit.highlights.map((highlight) => [highlight.field, highlight.fragments.join(' … ')])),
  };
}

/** The cart with product details and totals; lines whose product is unknown keep only their id. */
export function cartView(lines: ReadonlyArray<{ productId: string; quantity: number }>, products: ProductsById | undefined): CartView {
  const views = lines.map((line) => {
    const product = products?.get(line.productId);
    const lineTotal = times(product?.price, line.quantity);
    return { product: product ? productView(product) : unknownProduct(line.productId), quantity: line.quantity, ...(lineTotal ? { lineTotal } : {}) };
  });
  const total = sum(views.map((line) => line.lineTotal));
  return { lines: views, ...(total ? { total } : {}), itemCount: views.reduce((count, line) => count + line.quantity, 0) };
}

/** An order with its copied names and prices; with a products batch, each line's current availability. */
export function orderView(order: PlacedOrder, products?: ProductsById): OrderView {
  return {
    id: order.id,
    state: order.status,
    stateReason: order.statusReason,
    lines: order.items.map((item) => ({ ...item, availableNow: (products?.get(item.productId)?.stock ?? 0) > 0 })),
    ...(order.total ? { total: order.total } : {}),
    customerName: order.customerName,
    shippingAddressLines: order.shippingAddressLines.filter((line) => line !== ''),
    ...(order.createTime ? { createTime: order.createTime } : {}),
  };
}

/** The customer as the shop front shows them. */
export function customerView(customer: Customer): Customer {
  return { id: customer.id, displayName: customer.displayName, email: customer.email };
}

function unknownProduct(id: string): ProductView {
  return { id, sku: '', name: '', description: '', categoryId: '', stock: 0, available: false };
}
