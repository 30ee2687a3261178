import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { CartLineSchema, CartSchema, type Cart as CartMessage } from '@shop/gen/cart/v1/cart_pb';
import type { Cart } from '../domain/cart.js';

/** The proto message of a domain cart. */
export function toCartMessage(cart: Cart): CartMessage {
  return create(CartSchema, {
    userId: cart.userId,
    lines: cart.lines.map((line) => create(CartLineSchema, line)),
    updateTime: cart.updateTime && timestampFromDate(cart.updateTime),
    expireTime: cart.expireTime && timestampFromDate(cart.expireTime),
  });
}
