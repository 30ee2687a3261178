import { randomUUID } from 'node:crypto';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { eventSubject, type OutboxEvent } from '@shop/runtime';
import {
  ProductCreatedSchema,
  ProductDeletedSchema,
  ProductUpdatedSchema,
  StockChangedSchema,
} from '@shop/gen/product/v1/product_events_pb';
import { productMessage } from '../../api/messages.js';
import type { EditableField, Product } from '../../domain/product.js';

/** The service name in event subjects and stream names. */
export const eventSource = 'products';

const protoFieldNames: Record<EditableField, string> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  categoryId: 'category_id',
  price: 'price',
};

/** A stock change to announce: units added or taken and why. */
export interface StockChange {
  readonly delta: number;
  readonly reason: string;
}

/** Builds the outbox entries of the products service's events, each with a fresh event id. */
export class ProductEvents {
  constructor(private readonly namespace: string) {}

  /** ProductCreated for a new product. */
  created(product: Product): OutboxEvent {
    return this.event(ProductCreatedSchema, (eventId) => ({ ...this.header(eventId, product), product: productMessage(product) }));
  }

  /** ProductUpdated naming the changed fields as the proto names them. */
  updated(product: Product, changedFields: readonly EditableField[]): OutboxEvent {
    return this.event(ProductUpdatedSchema, (eventId) => ({
      ...this.header(eventId, product),
      product: productMessage(product),
      changedFields: changedFields.map((field) => protoFieldNames[field]),
    }));
  }

  /** ProductDeleted, at the version after the product's last one. */
  deleted(product: Product, occurTime: Date): OutboxEvent {
    return this.event(ProductDeletedSchema, (eventId) => ({
      eventId,
      productId: product.id,
      version: BigInt(product.version + 1),
      occurTime: timestampFromDate(occurTime),
    }));
  }

  /** StockChanged for a product as it is after the change. */
  stockChanged(product: Product, change: StockChange): OutboxEvent {
    return this.event(StockChangedSchema, (eventId) => ({
      ...this.header(eventId, product),
      stock: product.stock,
      delta: change.delta,
      reason: change.reason,
      product: productMessage(product),
    }));
  }

  private header(eventId: string, product: Product) {
    return { eventId, productId: product.id, version: BigInt(product.version), occurTime: timestampFromDate(product.updateTime) };
  }

  private event<S extends DescMessage>(schema: S, build: (eventId: string) => MessageInitShape<S>): OutboxEvent {
    const id = randomUUID();
    return {
      id,
      subject: eventSubject({ namespace: this.namespace }, eventSource, schema),
      type: schema.typeName,
      payload: toBinary(schema, create(schema, build(id))),
    };
  }
}
