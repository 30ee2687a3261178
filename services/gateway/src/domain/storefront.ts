import { DomainError, failedPrecondition, notFound } from '@shop/runtime/errors';
import { DegradationTracker } from './degradation.js';
import type { Money } from './money.js';
import type { CallBudget, CartContents, DownstreamPorts, NewCatalogProduct, SearchQuery } from './ports.js';
import { requireOwner, type Principal } from './principal.js';
import { checkedReportRequest, salesReport, type SalesReport } from './sales-report.js';
import {
  byId,
  cartView,
  customerView,
  orderView,
  productView,
  searchItem,
  type CartView,
  type Composed,
  type OrderView,
  type ProductsById,
  type ProductView,
  type SearchItem,
} from './views.js';

/** Timeouts of the composed calls. */
export interface CompositionTimeouts {
  /** Budget of a non-essential part (live stock, related products, availability). */
  readonly optionalPartMs: number;
}

/** Search results with live price and stock. */
export interface SearchResults {
  readonly items: readonly SearchItem[];
  readonly totalSize: bigint;
  readonly categories: ReadonlyArray<{ readonly categoryId: string; readonly count: bigint }>;
  readonly priceRanges: ReadonlyArray<{ readonly key: string; readonly count: bigint }>;
  readonly nextPageToken: string;
}

/**
 * The storefront's compositions over the downstream services: each makes at most one call per service. An essential
 * part failing fails the call (the peers name the dependency); a non-essential one is left out and named in the
 * answer's degradation.
 */
export class Storefront {
  private readonly optional: CallBudget;

  constructor(
    private readonly downstream: DownstreamPorts,
    timeouts: CompositionTimeouts,
  ) {
    this.optional = { timeoutMs: timeouts.optionalPartMs };
  }

  /** Search hits (essential) with live price and stock from one products batch (the `live_stock` part). */
  async search(query: SearchQuery): Promise<Composed<SearchResults>> {
    const page = await this.downstream.search.search(query);
    const degradation = new DegradationTracker();
    const live = await degradation.optional('live_stock', () => this.batch(page.hits.map((hit) => hit.productId)));
    return {
      items: page.hits.map((hit) => searchItem(hit, live)),
      totalSize: page.totalSize,
      categories: page.categories.map(({ categoryId, count }) => ({ categoryId, count })),
      priceRanges: page.priceRanges.map(({ key, count }) => ({ key, count })),
      nextPageToken: page.nextPageToken,
      degradation: degradation.result(),
    };
  }

  /**
   * A product (essential) with up to 8 others of its category (the `related_products` part), both asked at once; the
   * related search asks for the hits only, since the page shows no totals or facets.
   */
  async productPage(productId: string): Promise<Composed<{ product: ProductView; related: SearchItem[] }>> {
    const degradation = new DegradationTracker();
    const [product, related] = await Promise.all([
      this.downstream.products.get(productId),
      degradation.optional('related_products', () => this.downstream.search.search({ relatedToProductId: productId, categoryIds: [], pageSize: 8, hitsOnly: true }, this.optional)),
    ]);
    if (!product) throw notFound('product', productId);
    return {
      product: productView(product),
      related: (related?.hits ?? []).filter((hit) => hit.productId !== product.id).slice(0, 8).map((hit) => searchItem(hit, undefined)),
      degradation: degradation.result(),
    };
  }

  /** The caller's cart with product details (the `product_details` part). */
  async cart(userId: string): Promise<Composed<{ cart: CartView }>> {
    return (await this.withDetails(this.downstream.cart.get(userId))).answer;
  }

  /** Adds a product to the cart; a product that turns out not to exist is taken out again and NOT_FOUND. */
  async addToCart(userId: string, productId: string, quantity: number): Promise<Composed<{ cart: CartView }>> {
    const { known, answer } = await this.withDetails(this.downstream.cart.addItem(userId, productId, quantity));
    if (known && !known.has(productId)) {
      await this.downstream.cart.removeItem(userId, productId);
      throw notFound('product', productId);
    }
    return answer;
  }

  /** Sets a line's quantity. */
  async changeCartQuantity(userId: string, productId: string, quantity: number): Promise<Composed<{ cart: CartView }>> {
    return (await this.withDetails(this.downstream.cart.updateItemQuantity(userId, productId, quantity))).answer;
  }

  /**
   * Places an order of the cart's lines, once per caller and key: orders returns the first order for a key already
   * used, even once the cart has emptied itself; an empty cart with a new key is FAILED_PRECONDITION.
   */
  async checkout(userId: string, idempotencyKey: string, shippingAddressLines: readonly string[]): Promise<OrderView> {
    const cart = await this.downstream.cart.get(userId);
    const items = (cart?.lines ?? []).map(({ productId, quantity }) => ({ productId, quantity }));
    const order = await this.downstream.orders.create({ idempotencyKey: `${userId}:${idempotencyKey}`, customerId: userId, items, shippingAddressLines }).catch((error: unknown) => {
      if (items.length === 0 && error instanceof DomainError && error.code === 'INVALID_ARGUMENT') throw failedPrecondition('the cart is empty');
      throw error;
    });
    if (!order) throw failedPrecondition('the order could not be placed');
    return orderView(order);
  }

  /** One of the caller's orders (essential) with each line's availability and the customer (both non-essential). */
  async orderDetails(caller: Principal, orderId: string): Promise<Composed<{ order: OrderView; customer?: ReturnType<typeof customerView> }>> {
    const order = await this.downstream.orders.get(orderId);
    if (!order) throw notFound('order', orderId);
    requireOwner(caller, order.customerId, `order ${JSON.stringify(orderId)}`);
    const degradation = new DegradationTracker();
    const [availability, customer] = await Promise.all([
      degradation.optional('availability', () => this.downstream.products.batchGet(order.items.map((item) => item.productId), this.optional).then(byId)),
      degradation.optional('customer', () => this.downstream.users.get(order.customerId, this.optional)),
    ]);
    return { order: orderView(order, availability), ...(customer ? { customer: customerView(customer) } : {}), degradation: degradation.result() };
  }

  /** A page of the caller's orders. */
  async myOrders(userId: string, pageSize: number, pageToken: string): Promise<{ orders: OrderView[]; nextPageToken: string }> {
    const page = await this.downstream.orders.list(userId, pageSize, pageToken);
    return { orders: page.orders.map((order) => orderView(order)), nextPageToken: page.nextPageToken };
  }

  /** Creates a product (the caller is an admin). */
  async createProduct(product: NewCatalogProduct): Promise<ProductView | undefined> {
    const created = await this.downstream.products.create(product);
    return created ? productView(created) : undefined;
  }

  /** Changes a product's price (the caller is an admin). */
  async updateProductPrice(productId: string, price: Money | undefined): Promise<ProductView | undefined> {
    const updated = await this.downstream.products.updatePrice(productId, price);
    return updated ? productView(updated) : undefined;
  }

  private async withDetails(cartCall: Promise<CartContents | undefined>): Promise<{ known: ProductsById | undefined; answer: Composed<{ cart: CartView }> }> {
    const cart = await cartCall;
    const lines = cart?.lines ?? [];
    const degradation = new DegradationTracker();
    const known = await degradation.optional('product_details', () => this.batch(lines.map((line) => line.productId)));
    return { known, answer: { cart: cartView(lines, known), degradation: degradation.result() } };
  }

  private async batch(ids: readonly string[]): Promise<ProductsById> {
    return ids.length === 0 ? new Map() : byId(await this.downstream.products.batchGet(ids, this.optional));
  }

  /** The sales dashboard over a period, from the analytics service (the API checks the admin role first). */
  salesReport(start: Date | undefined, end: Date | undefined, topProductsSize: number): Promise<SalesReport> {
    const request = checkedReportRequest(start, end, topProductsSize);
    return salesReport(this.downstream.analytics, request.period, request.topProductsSize);
  }
}
