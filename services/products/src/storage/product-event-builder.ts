import type { OutboxEvent } from '@shop/runtime';
import type { EditableField, Product } from '../domain/product.js';

/** Builds the outbox entries the repositories record with each change (implemented by events/outbound). */
export interface ProductEventBuilder {
  created(product: Product): OutboxEvent;
  updated(product: Product, changedFields: readonly EditableField[]): OutboxEvent;
  deleted(product: Product, occurTime: Date): OutboxEvent;
  stockChanged(product: Product, change: { readonly delta: number; readonly reason: string }): OutboxEvent;
}
