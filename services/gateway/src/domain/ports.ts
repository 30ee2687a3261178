import type { Money } from './money.js';
import type { AnalyticsPort } from './sales-report.js';

/** Limits of one downstream call: a non-essential part gets a short budget. */
export interface CallBudget {
  readonly timeoutMs?: number;
}

/** The fields of a product to create. */
export interface NewCatalogProduct {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly categoryId: string;
  readonly price?: Money;
  readonly stock: number;
}

/** A product as the products service describes it. */
export interface CatalogProduct extends NewCatalogProduct {
  readonly id: string;
}

/** The products service: catalog reads (one batch call for many ids) and admin writes. */
export interface ProductsPort {
  /** The product; NOT_FOUND (as products answers it) when unknown. */
  get(id: string): Promise<CatalogProduct | undefined>;
  /** The known products among the ids, in one call. */
  batchGet(ids: readonly string[], budget?: CallBudget): Promise<CatalogProduct[]>;
  create(product: NewCatalogProduct): Promise<CatalogProduct | undefined>;
  updatePrice(id: string, price: Money | undefined): Promise<CatalogProduct | undefined>;
}

/** What to search for. */
export interface SearchQuery {
  readonly query?: string;
  readonly categoryIds: readonly string[];
  readonly minPriceMinor?: bigint;
  readonly maxPriceMinor?: bigint;
  readonly inStockOnly?: boolean;
  /** Only products of this product's category, itself left out. */
  readonly relatedToProductId?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
  /** Only the hits: the answer's total is 0 and it has no facets, which search then does not compute. */
  readonly hitsOnly?: boolean;
}

/** One search hit with the values the index holds. */
export interface IndexedHit {
  readonly productId: string;
  readonly name: string;
  readonly categoryId: string;
  readonly price?: Money;
  readonly highlights: ReadonlyArray<{ readonly field: string; readonly fragments: readonly string[] }>;
}

/** A count of hits per facet value. */
export interface FacetCount {
  readonly count: bigint;
}

/** A page of search results with its facets. */
export interface SearchPage {
  readonly hits: readonly IndexedHit[];
  readonly totalSize: bigint;
  readonly categories: ReadonlyArray<FacetCount & { readonly categoryId: string }>;
  readonly priceRanges: ReadonlyArray<FacetCount & { readonly key: string }>;
  readonly nextPageToken: string;
}

/** The search service. */
export interface SearchPort {
  search(query: SearchQuery, budget?: CallBudget): Promise<SearchPage>;
}

/** One line of a cart. */
export interface CartLine {
  readonly productId: string;
  readonly quantity: number;
}

/** A user's cart as the cart service keeps it; undefined when it has none. */
export interface CartContents {
  readonly lines: readonly CartLine[];
}

/** The cart service; each change answers the cart as it is after it. */
export interface CartPort {
  get(userId: string): Promise<CartContents | undefined>;
  addItem(userId: string, productId: string, quantity: number): Promise<CartContents | undefined>;
  updateItemQuantity(userId: string, productId: string, quantity: number): Promise<CartContents | undefined>;
  removeItem(userId: string, productId: string): Promise<CartContents | undefined>;
}

/** Where an order stands. */
export type OrderStatus = 'UNSPECIFIED' | 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED';

/** A point in time as seconds and nanoseconds since the epoch, exactly as the services send it. */
export interface Instant {
  readonly seconds: bigint;
  readonly nanos: number;
}

/** An order line with the name and price copied at order time. */
export interface OrderLine {
  readonly productId: string;
  readonly productName: string;
  readonly unitPrice?: Money;
  readonly quantity: number;
  readonly lineTotal?: Money;
}

/** An order as the orders service describes it. */
export interface PlacedOrder {
  readonly id: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly status: OrderStatus;
  readonly statusReason: string;
  readonly items: readonly OrderLine[];
  readonly total?: Money;
  readonly shippingAddressLines: readonly string[];
  readonly createTime?: Instant;
}

/** An order to place for a customer, once per idempotency key. */
export interface OrderRequest {
  readonly idempotencyKey: string;
  readonly customerId: string;
  readonly items: readonly CartLine[];
  readonly shippingAddressLines: readonly string[];
}

/** The orders service. */
export interface OrdersPort {
  /** Places the order; a DomainError INVALID_ARGUMENT when orders refuses the request. */
  create(order: OrderRequest): Promise<PlacedOrder | undefined>;
  get(id: string): Promise<PlacedOrder | undefined>;
  list(customerId: string, pageSize: number, pageToken: string): Promise<{ readonly orders: readonly PlacedOrder[]; readonly nextPageToken: string }>;
}

/** A customer as the users service describes them. */
export interface Customer {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
}

/** The users service. */
export interface UsersPort {
  get(id: string, budget?: CallBudget): Promise<Customer | undefined>;
}

/** Every downstream service the storefront composes. */
export interface DownstreamPorts {
  readonly products: ProductsPort;
  readonly search: SearchPort;
  readonly cart: CartPort;
  readonly orders: OrdersPort;
  readonly users: UsersPort;
  readonly analytics: AnalyticsPort;
}
