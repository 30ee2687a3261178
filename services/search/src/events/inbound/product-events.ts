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

/** The handler of products' events: writes each snapshot (or tombstone) at its product version; older or repeated ones are no-ops. */
export function productEventHandler(writer: ProductWriter, logger: Logger): (event: DeliveredEvent) => Promise<void> {
  return async (event) => {
    const snapshot = decoders.get(event.type)?.(event.payload);
    if (!snapshot) {
      logger.debug({ type: event.type, eventId: event.id }, 'event skipped: nothing to index');
      return;
    }
    const applied = await writer.write(snapshot);
    logger.debug({ type: event.type, productId: snapshot.productId, version: snapshot.version.toString(), applied }, 'product event indexed');
  };
}
