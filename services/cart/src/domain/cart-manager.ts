import { invalidArgument } from '@shop/runtime/errors';
import { maxLines, maxQuantity, type Cart } from './cart.js';
import type { CartChange, CartRepository } from './cart-repository.js';
import { requireId, requireIds, requireQuantity } from './validation.js';

/** The cart use cases: validates input and enforces the limits the store reports. */
export class CartManager {
  constructor(private readonly repository: CartRepository) {}

  /** The user's cart, empty when there is none. */
  getCart(userId: string): Promise<Cart> {
    return this.repository.get(requireId('user_id', userId));
  }

  /** Adds 1 to 99 units to a product's line; the line stays at most 99 units and the cart at most 100 lines. */
  async addItem(userId: string, productId: string, quantity: number): Promise<Cart> {
    requireId('user_id', userId);
    requireId('product_id', productId);
    requireQuantity(quantity, 1);
    return cartOf(await this.repository.addItem(userId, productId, quantity), quantity);
  }

  /** Sets a line's quantity, 0 to 99; 0 removes the line. */
  async updateItemQuantity(userId: string, productId: string, quantity: number): Promise<Cart> {
    requireId('user_id', userId);
    requireId('product_id', productId);
    requireQuantity(quantity, 0);
    return cartOf(await this.repository.setQuantity(userId, productId, quantity), 0);
  }

  /** Removes a product's line. */
  removeItem(userId: string, productId: string): Promise<Cart> {
    requireId('user_id', userId);
    return this.repository.removeLines(userId, [requireId('product_id', productId)]);
  }

  /** Removes the given products' lines, or all lines when none are given. */
  clearCart(userId: string, productIds: readonly string[]): Promise<Cart> {
    requireId('user_id', userId);
    return this.repository.removeLines(userId, requireIds('product_ids', productIds));
  }

  /** Removes an order's products from the customer's cart once per event id; false for a repeated event. */
  removeOrderedLines(userId: string, eventId: string, productIds: readonly string[]): Promise<boolean> {
    return this.repository.removeOrderedLines(requireId('customer_id', userId), requireId('event_id', eventId), productIds);
  }
}

function cartOf(change: CartChange, added: number): Cart {
  if ('cart' in change) return change.cart;
  const { limit, held } = change.violation;
  if (limit === 'lines') throw invalidArgument('product_id', `the cart already holds ${held} lines, at most ${maxLines}`);
  throw invalidArgument('quantity', `the line holds ${held} units; adding ${added} exceeds ${maxQuantity}`);
}
