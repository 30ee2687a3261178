import type { Client } from '@connectrpc/connect';
import type { Cart } from '@shop/gen/cart/v1/cart_pb';
import type { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import type { CartContents, CartPort } from '../domain/ports.js';
import { callOptions } from './call-options.js';

/** The cart service behind the CartPort. */
export function cartPeer(client: Client<typeof CartService>): CartPort {
  return {
    get: async (userId) => contentsOf((await client.getCart({ userId }, callOptions())).cart),
    addItem: async (userId, productId, quantity) => contentsOf((await client.addItem({ userId, productId, quantity }, callOptions())).cart),
    updateItemQuantity: async (userId, productId, quantity) => contentsOf((await client.updateItemQuantity({ userId, productId, quantity }, callOptions())).cart),
    removeItem: async (userId, productId) => contentsOf((await client.removeItem({ userId, productId }, callOptions())).cart),
  };
}

function contentsOf(cart: Cart | undefined): CartContents | undefined {
  return cart ? { lines: cart.lines.map(({ productId, quantity }) => ({ productId, quantity })) } : undefined;
}
