import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { OrderSchema, OrderStatus, type Order as OrderMessage } from '@shop/gen/order/v1/order_pb';
import type { CreateOrderRequest } from '@shop/gen/order/v1/order_service_pb';
import type { CheckoutInput } from '../domain/checkout-input.js';
import { lineTotal, type Order } from '../domain/order.js';

const statusOf: Record<Order['status'], OrderStatus> = {
  PENDING: OrderStatus.PENDING,
  CONFIRMED: OrderStatus.CONFIRMED,
  REJECTED: OrderStatus.REJECTED,
  CANCELLED: OrderStatus.CANCELLED,
};

/** The proto form of an order. */
export function toOrderMessage(order: Order): OrderMessage {
  const init: MessageInitShape<typeof OrderSchema> = {
    id: order.id,
    customerId: order.customerId,
    customerName: order.customerName,
    customerCurrentName: order.customerCurrentName,
    status: statusOf[order.status],
    statusReason: order.statusReason,
    items: order.items.map((item) => ({ ...item, lineTotal: lineTotal(item) })),
    total: order.total,
    shippingAddress: order.shippingAddress,
    idempotencyKey: order.idempotencyKey,
    version: order.version,
    createTime: timestampFromDate(order.createTime),
    updateTime: timestampFromDate(order.updateTime),
  };
  return create(OrderSchema, init);
}

/** The checkout input of a CreateOrder request. */
export function toCheckoutInput(request: CreateOrderRequest): CheckoutInput {
  const address = request.shippingAddress;
  return {
    idempotencyKey: request.idempotencyKey,
    customerId: request.customerId,
    items: request.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    shippingAddress: { line1: address?.line1 ?? '', line2: address?.line2 ?? '', line3: address?.line3 ?? '' },
  };
}
