import { fromBinary } from '@bufbuild/protobuf';
import { OrderPlacedSchema, type OrderPlaced } from '@shop/gen/order/v1/order_events_pb';
import type { DeliveredEvent, Logger } from '@shop/runtime';
import type { CartManager } from '../domain/cart-manager.js';

/**
 * Handles orders' OrderPlaced (on its subject; other orders events are acknowledged and ignored): removes the ordered
 * products' lines from the customer's cart, once per event id.
 */
export function orderPlacedHandler(carts: CartManager, subject: string, logger: Logger): (event: DeliveredEvent) => Promise<void> {
  return async (delivered) => {
    if (delivered.subject !== subject) return;
    const event = decode(delivered.payload);
    if (!event?.customerId) {
      logger.warn({ eventId: delivered.id, subject: delivered.subject }, 'unusable OrderPlaced skipped');
      return;
    }
    const eventId = event.eventId || delivered.id;
    const productIds = event.items.map((item) => item.productId).filter((id) => id.length > 0);
    const applied = await carts.removeOrderedLines(event.customerId, eventId, productIds);
    logger.info({ eventId, orderId: event.orderId, applied }, applied ? 'ordered lines removed from cart' : 'repeated OrderPlaced ignored');
  };
}

function decode(payload: Uint8Array): OrderPlaced | undefined {
  try {
    return fromBinary(OrderPlacedSchema, payload);
  } catch {
    return undefined;
  }
}
