import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { OrderCancelledSchema, OrderConfirmedSchema, OrderPlacedSchema, OrderRejectedSchema } from '@shop/gen/order/v1/order_events_pb';
import type pg from 'pg';
import type { OrderStatus } from '../domain/order.js';
import type { NewOrder } from '../domain/ports.js';
import type { OutboxWriter } from './outbox.js';

/** Records the event of a newly stored order: OrderPlaced when PENDING, OrderRejected when refused at once. */
export async function appendCreatedEvent(outbox: OutboxWriter, client: pg.ClientBase, order: NewOrder): Promise<void> {
  if (order.status === 'REJECTED') {
    await appendStatusEvent(outbox, client, { id: order.id, customerId: order.customerId, version: 1n, status: 'REJECTED', reason: order.statusReason });
    return;
  }
  await outbox.append(client, OrderPlacedSchema, {
    orderId: order.id,
    version: 1n,
    occurTime: timestampFromDate(new Date()),
    customerId: order.customerId,
    items: order.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    total: order.total,
  });
}

/** What a status change event carries. */
export interface StatusChange {
  readonly id: string;
  readonly customerId: string;
  readonly version: bigint;
  readonly status: OrderStatus;
  readonly reason: string;
}

/** Records the event of a status change: OrderConfirmed, OrderRejected or OrderCancelled. */
export async function appendStatusEvent(outbox: OutboxWriter, client: pg.ClientBase, change: StatusChange): Promise<void> {
  const common = { orderId: change.id, version: change.version, occurTime: timestampFromDate(new Date()), customerId: change.customerId };
  if (change.status === 'CONFIRMED') await outbox.append(client, OrderConfirmedSchema, common);
  if (change.status === 'REJECTED') await outbox.append(client, OrderRejectedSchema, { ...common, reason: change.reason });
  if (change.status === 'CANCELLED') await outbox.append(client, OrderCancelledSchema, { ...common, reason: change.reason });
}
