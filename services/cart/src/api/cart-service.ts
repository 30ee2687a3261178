import type { ServiceImpl } from '@connectrpc/connect';
import type { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import type { CartManager } from '../domain/cart-manager.js';
import { toCartMessage } from './cart-messages.js';

/** shop.cart.v1.CartService over the cart use cases. */
export function cartServiceImpl(carts: CartManager): ServiceImpl<typeof CartService> {
  return {
    getCart: async ({ userId }) => ({ cart: toCartMessage(await carts.getCart(userId)) }),
    addItem: async ({ userId, productId, quantity }) => ({ cart: toCartMessage(await carts.addItem(userId, productId, quantity)) }),
    updateItemQuantity: async ({ userId, productId, quantity }) => ({
      cart: toCartMessage(await carts.updateItemQuantity(userId, productId, quantity)),
    }),
    removeItem: async ({ userId, productId }) => ({ cart: toCartMessage(await carts.removeItem(userId, productId)) }),
    clearCart: async ({ userId, productIds }) => ({ cart: toCartMessage(await carts.clearCart(userId, productIds)) }),
  };
}
