import { fromBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { OrderCancelledSchema, OrderConfirmedSchema, OrderPlacedSchema, OrderRejectedSchema } from '@shop/gen/order/v1/order_events_pb';
import { ProductCreatedSchema, ProductDeletedSchema, ProductUpdatedSchema } from '@shop/gen/product/v1/product_events_pb';
import type { Product } from '@shop/gen/product/v1/product_pb';
import { UserCreatedSchema, UserUpdatedSchema } from '@shop/gen/user/v1/user_events_pb';
import type { User } from '@shop/gen/user/v1/user_pb';
import type { Money as MoneyMessage } from '@shop/gen/common/v1/money_pb';
import type { DeliveredEvent } from '@shop/runtime';
import type { Money, ProductFact, ReadModelFact, UserFact } from '../../domain/read-model-events.js';

type Decoder = (payload: Uint8Array, eventId: string) => ReadModelFact | undefined;

const when = (time: Timestamp | undefined) => (time ? timestampDate(time) : new Date(0));
const moneyOf = (money: MoneyMessage | undefined): Money | undefined => (money ? { amountMinor: money.amountMinor, currencyCode: money.currencyCode } : undefined);

function decoder<D extends DescMessage>(schema: D, toFact: (event: MessageShape<D>, eventId: string) => ReadModelFact | undefined): [string, Decoder] {
  return [schema.typeName, (payload, eventId) => toFact(fromBinary(schema, payload), eventId)];
}

const base = (event: { eventId: string; version: bigint; occurTime?: Timestamp }, deliveredId: string) => ({
  eventId: event.eventId || deliveredId,
  version: event.version,
  occurredAt: when(event.occurTime),
});

const status = (name: 'CONFIRMED' | 'REJECTED' | 'CANCELLED') => (event: { eventId: string; orderId: string; customerId: string; version: bigint; occurTime?: Timestamp }, id: string): ReadModelFact => ({
  kind: 'order-status',
  ...base(event, id),
  orderId: event.orderId,
  customerId: event.customerId,
  status: name,
});

const productSnapshot = (product: Product | undefined): ProductFact['snapshot'] =>
  product ? { name: product.name, categoryId: product.categoryId, price: moneyOf(product.price) } : undefined;

const userFact = (event: { eventId: string; userId: string; version: bigint; occurTime?: Timestamp; user?: User }, id: string): UserFact | undefined =>
  event.user ? { kind: 'user', ...base(event, id), userId: event.userId || event.user.id, displayName: event.user.displayName, signedUpAt: event.user.createTime && timestampDate(event.user.createTime) } : undefined;

const decoders = new Map<string, Decoder>([
  decoder(OrderPlacedSchema, (event, id) => ({
    kind: 'order-placed',
    ...base(event, id),
    orderId: event.orderId,
    customerId: event.customerId,
    items: event.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    total: moneyOf(event.total),
  })),
  decoder(OrderConfirmedSchema, status('CONFIRMED')),
  decoder(OrderRejectedSchema, status('REJECTED')),
  decoder(OrderCancelledSchema, status('CANCELLED')),
  decoder(ProductCreatedSchema, (event, id) => (event.product ? { kind: 'product', ...base(event, id), productId: event.productId || event.product.id, snapshot: productSnapshot(event.product) } : undefined)),
  decoder(ProductUpdatedSchema, (event, id) => (event.product ? { kind: 'product', ...base(event, id), productId: event.productId || event.product.id, snapshot: productSnapshot(event.product) } : undefined)),
  decoder(ProductDeletedSchema, (event, id) => ({ kind: 'product', ...base(event, id), productId: event.productId })),
  decoder(UserCreatedSchema, userFact),
  decoder(UserUpdatedSchema, userFact),
]);

/** The read model's fact in a delivered event; undefined for a type it does not read. Throws on an undecodable payload. */
export function factOf(event: Pick<DeliveredEvent, 'type' | 'payload' | 'id'>): ReadModelFact | undefined {
  return decoders.get(event.type)?.(event.payload, event.id);
}
