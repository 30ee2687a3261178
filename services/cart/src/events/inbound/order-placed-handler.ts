import { fromBinary } from '@bufbuild/protobuf';
import { OrderPlacedSchema, type OrderPlaced } from '@shop/gen/order/v1/order_events_pb';
import { DomainError, type DeliveredEvent, type Logger } from '@shop/runtime';
import type { CartManager } from '../../domain/cart-manager.js';

/**
 * Handles orders' OrderPlaced (other orders events are acknowledged and ignored): removes the ordered products' lines
 * from the customer's cart, once per event id. An unusable event is logged and skipped rather than redelivered forever.
 */
export function orderPlacedHandler(carts: CartManager, subject: string, logger: Logger): (event: DeliveredEvent) => Promise<void> {
  return async (delivered) => {
    if (delivered.subject !== subject) return;
    const skip = (reason: string) => logger.warn({ eventId: delivered.id, subject, reason }, 'unusable OrderPlaced skipped');
    const event = decode(delivered.payload);
    if (!event) return skip('not an OrderPlaced payload');
    try {
      const applied = await removeOrderedLines(carts, event, delivered.id);
      logger.debug({ eventId: event.eventId, orderId: event.orderId, applied }, applied ? 'ordered lines removed from cart' : 'repeated OrderPlaced ignored');
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'INVALID_ARGUMENT')) throw error;
      skip(error.message);
    }
  };
}

function decode(payload: Uint8Array): OrderPlaced | undefined {
  try {
    return fromBinary(OrderPlacedSchema, payload);
  } catch {
    return undefined;
  }
}

function removeOrderedLines(carts: CartManager, event: OrderPlaced, deliveredId: string): Promise<boolean> {
  const productIds = event.items.map((item) => item.productId).filter((id) => id.length > 0);
  return carts.removeOrderedLines(event.customerId, event.eventId || deliveredId, productIds);
}
