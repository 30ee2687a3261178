import { fromBinary } from '@bufbuild/protobuf';
import type { Product } from '@shop/gen/product/v1/product_pb';
import {
  ProductCreatedSchema,
  ProductDeletedSchema,
  ProductUpdatedSchema,
  StockChangedSchema,
} from '@shop/gen/product/v1/product_events_pb';
import type { DeliveredEvent, Logger } from '@shop/runtime';
import { tombstone, type IndexedProduct, type ProductWriter } from '../../domain/indexed-product.js';
import { snapshotOf } from '../../peers/product-snapshot.js';

type Decoder = (payload: Uint8Array) => IndexedProduct | undefined;

function withSnapshot(decode: (payload: Uint8Array) => { version: bigint; product?: Product }): Decoder {
  return (payload) => {
    const event = decode(payload);
    return event.product ? snapshotOf(event.product, event.version) : undefined;
  };
}

const decoders = new Map<string, Decoder>([
  [ProductCreatedSchema.typeName, withSnapshot((payload) => fromBinary(ProductCreatedSchema, payload))],
  [ProductUpdatedSchema.typeName, withSnapshot((payload) => fromBinary(ProductUpdatedSchema, payload))],
  [StockChangedSchema.typeName, withSnapshot((payload) => fromBinary(StockChangedSchema, payload))],
  [
    ProductDeletedSchema.typeName,
    (payload) => {
      const event = fromBinary(ProductDeletedSchema, payload);
      return tombstone(event.productId, event.version);
    },
  ],
]);

/**
 * The batch handler of products' events: writes the snapshots (or tombstones) of all events together, each at its
 * product version, so older or repeated ones are no-ops. An event that cannot be decoded or written fails the batch.
 */
export function productEventsHandler(writer: ProductWriter, logger: Logger): (events: readonly DeliveredEvent[]) => Promise<void> {
  return async (events) => {
    const snapshots: IndexedProduct[] = [];
    for (const event of events) {
      const snapshot = decoders.get(event.type)?.(event.payload);
      if (snapshot) snapshots.push(snapshot);
      else logger.debug({ type: event.type, eventId: event.id }, 'event skipped: nothing to index');
    }
    const applied = await writer.writeAll(snapshots);
    logger.debug({ events: events.length, snapshots: snapshots.length, applied }, 'product events indexed');
  };
}
