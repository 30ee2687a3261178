import { Code, ConnectError, type Client } from '@connectrpc/connect';
import { DomainError } from '@shop/runtime/errors';
import { OrderStatus, type Order } from '@shop/gen/order/v1/order_pb';
import type { OrderService } from '@shop/gen/order/v1/order_service_pb';
import type { OrderStatus as DomainOrderStatus, OrdersPort, PlacedOrder } from '../domain/ports.js';
import { callOptions } from './call-options.js';
import { checkoutRetry } from './checkout-retry.js';
import { defined, instantOf, moneyOf } from './proto-values.js';

/** The domain's name of each order status. */
export const statusOf: Record<OrderStatus, DomainOrderStatus> = {
  [OrderStatus.UNSPECIFIED]: 'UNSPECIFIED',
  [OrderStatus.PENDING]: 'PENDING',
  [OrderStatus.CONFIRMED]: 'CONFIRMED',
  [OrderStatus.REJECTED]: 'REJECTED',
  [OrderStatus.CANCELLED]: 'CANCELLED',
};

/** The orders service behind the OrdersPort. */
export function ordersPeer(client: Client<typeof OrderService>): OrdersPort {
  return {
    create: async (order) => {
      const [line1 = '', line2 = '', line3 = ''] = order.shippingAddressLines;
      const request = { idempotencyKey: order.idempotencyKey, customerId: order.customerId, items: order.items.map((item) => ({ ...item })), shippingAddress: { line1, line2, line3 } };
      try {
        return optionalOrder((await checkoutRetry.execute(() => client.createOrder(request, callOptions()))).order);
      } catch (error) {
        if (error instanceof ConnectError && error.code === Code.InvalidArgument) throw new DomainError('INVALID_ARGUMENT', error.rawMessage);
        throw error;
      }
    },
    get: async (id) => optionalOrder((await client.getOrder({ id }, callOptions())).order),
    list: async (customerId, pageSize, pageToken) => {
      const page = await client.listOrders({ customerId, pageSize, pageToken }, callOptions());
      return { orders: page.orders.map(placedOrderOf), nextPageToken: page.nextPageToken };
    },
  };
}

function optionalOrder(order: Order | undefined): PlacedOrder | undefined {
  return order ? placedOrderOf(order) : undefined;
}

function placedOrderOf(order: Order): PlacedOrder {
  const address = order.shippingAddress;
  return defined({
    id: order.id,
    customerId: order.customerId,
    customerName: order.customerName,
    status: statusOf[order.status],
    statusReason: order.statusReason,
    items: order.items.map((item) =>
      defined({ productId: item.productId, productName: item.productName, unitPrice: moneyOf(item.unitPrice), quantity: item.quantity, lineTotal: moneyOf(item.lineTotal) }),
    ),
    total: moneyOf(order.total),
    shippingAddressLines: address ? [address.line1, address.line2, address.line3] : [],
    createTime: instantOf(order.createTime),
  });
}
