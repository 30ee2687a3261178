import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import type { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { invalidArgument, notFound } from '@shop/runtime';
import { annotateActiveSpan } from '@shop/runtime/tracing';
import type { Checkout } from '../domain/checkout.js';
import type { OrderReader } from '../domain/ports.js';
import { isLsn, type WriteLsns } from '../domain/write-lsns.js';
import type { CheckoutAdmission } from './checkout-admission.js';
import { toCheckoutInput, toOrderMessage } from './order-mapping.js';

/** Header carrying the WAL position a caller's later reads must see (sent after writes, accepted on reads). */
export const readAfterLsnHeader = 'x-read-after-lsn';

/** shop.order.v1.OrderService: proto in and out, validation, and the read-your-writes header. */
export function orderServiceImpl(checkout: Checkout, reader: OrderReader, writeLsns: WriteLsns, admission: CheckoutAdmission): ServiceImpl<typeof OrderService> {
  const answer = (orderId: string, context: HandlerContext) => {
    const lsn = writeLsns.ofOrder(orderId);
    if (lsn) context.responseHeader.set(readAfterLsnHeader, lsn);
  };
  return {
    async createOrder(request, context) {
      const input = toCheckoutInput(request);
      const order = await admission(() => checkout.placeOrder(input), context.signal);
      annotateActiveSpan({ 'order.id': order.id, 'order.status': order.status });
      answer(order.id, context);
      return { order: toOrderMessage(order) };
    },
    async getOrder(request, context) {
      if (!request.id) throw invalidArgument('id', 'is required');
      const order = await reader.get(request.id, requestedLsn(context));
      if (!order) throw notFound('order', request.id);
      return { order: toOrderMessage(order) };
    },
    async listOrders(request, context) {
      if (!request.customerId) throw invalidArgument('customer_id', 'is required');
      if (request.pageSize < 0 || request.pageSize > 100) throw invalidArgument('page_size', 'must be 0 to 100');
      const page = await reader.listByCustomer(request.customerId, request.pageSize || 20, request.pageToken, requestedLsn(context));
      return { orders: page.orders.map(toOrderMessage), nextPageToken: page.nextPageToken };
    },
    async cancelOrder(request, context) {
      if (!request.id) throw invalidArgument('id', 'is required');
      const order = await checkout.cancelOrder(request.id, request.reason);
      answer(order.id, context);
      return { order: toOrderMessage(order) };
    },
  };
}

function requestedLsn(context: HandlerContext): string | undefined {
  const value = context.requestHeader.get(readAfterLsnHeader);
  if (value && !isLsn(value)) throw invalidArgument(readAfterLsnHeader, 'must be a WAL position such as 0/16B3748');
  return value ?? undefined;
}
