import type { Category, NewProduct, Product, ProductChanges, ProductPage } from './product.js';
import type { ReleaseOutcome, Reservation, StockItem } from './reservation.js';

/** The catalog: products and categories; every change records its event in the same atomic write. */
export interface ProductRepository {
  get(id: string): Promise<Product>;
  getMany(ids: readonly string[]): Promise<Product[]>;
  list(query: { categoryId?: string; afterId?: string; limit: number }): Promise<ProductPage>;
  create(product: NewProduct): Promise<Product>;
  update(id: string, changes: ProductChanges, expectedVersion?: number): Promise<Product>;
  delete(id: string): Promise<void>;
  categories(): Promise<Category[]>;
}

/** Stock and reservations: all-or-nothing, idempotent by reservation id, never below zero. */
export interface StockRepository {
  reserve(reservationId: string, items: readonly StockItem[]): Promise<Reservation>;
  release(reservationId: string): Promise<ReleaseOutcome>;
  adjust(productId: string, delta: number, reason: string): Promise<Product>;
}
