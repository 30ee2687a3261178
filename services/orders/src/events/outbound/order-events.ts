import { randomUUID } from 'node:crypto';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { OrderCancelledSchema, OrderConfirmedSchema, OrderPlacedSchema, OrderRejectedSchema } from '@shop/gen/order/v1/order_events_pb';
import { eventSubject, type EventBus } from '@shop/runtime';
import type { OrderEvents, OutgoingEvent, StatusChange } from '../../domain/ports.js';

/** Builds the orders stream's events, each with a fresh event id, on the subjects of the bus namespace. */
export function orderEvents(bus: Pick<EventBus, 'namespace'>): OrderEvents {
  const encode = <D extends DescMessage>(schema: D, init: MessageInitShape<D>): OutgoingEvent => {
    const id = randomUUID();
    const message = Object.assign(create(schema, init), { eventId: id });
    return { id, subject: eventSubject(bus, 'orders', schema), type: schema.typeName, payload: toBinary(schema, message) };
  };
  const statusChanged = (change: StatusChange): OutgoingEvent | undefined => {
    const common = { orderId: change.id, version: change.version, occurTime: timestampFromDate(new Date()), customerId: change.customerId };
    if (change.status === 'CONFIRMED') return encode(OrderConfirmedSchema, common);
    if (change.status === 'REJECTED') return encode(OrderRejectedSchema, { ...common, reason: change.reason });
    if (change.status === 'CANCELLED') return encode(OrderCancelledSchema, { ...common, reason: change.reason });
    return undefined;
  };
  return {
    created: (order) => {
      if (order.status === 'REJECTED') return statusChanged({ id: order.id, customerId: order.customerId, version: 1n, status: 'REJECTED', reason: order.statusReason })!;
      return encode(OrderPlacedSchema, {
        orderId: order.id,
        version: 1n,
        occurTime: timestampFromDate(new Date()),
        customerId: order.customerId,
        items: order.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
        total: order.total,
      });
    },
    statusChanged,
  };
}
