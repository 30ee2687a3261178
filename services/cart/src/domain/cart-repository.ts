import type { Cart } from './cart.js';

/** Why the store refused a change: the line would exceed maxQuantity, or the cart maxLines. */
export type LimitViolation = { readonly limit: 'quantity' | 'lines'; readonly held: number };

/** A change's outcome: the cart after it, or the limit it would break (nothing written). */
export type CartChange = { readonly cart: Cart } | { readonly violation: LimitViolation };

/** Storage of carts; every method is one atomic change of one cart. */
export interface CartRepository {
  /** The user's cart, empty when there is none. */
  get(userId: string): Promise<Cart>;
  /** Adds units to the product's line, creating it at the end when missing. */
  addItem(userId: string, productId: string, quantity: number): Promise<CartChange>;
  /** Sets the product's line quantity (creating the line at the end when missing); 0 removes it. */
  setQuantity(userId: string, productId: string, quantity: number): Promise<CartChange>;
  /** Removes the given products' lines, or every line when productIds is empty. */
  removeLines(userId: string, productIds: readonly string[]): Promise<Cart>;
  /** Removes the ordered products' lines once per event id; false when the event was already applied. */
  removeOrderedLines(userId: string, eventId: string, productIds: readonly string[]): Promise<boolean>;
}
