import { aborted } from '@shop/runtime/errors';
import { changedFields, type EditableField, type NewProduct, type Product, type ProductChanges } from './product.js';

/** A new product at version 1, created now. */
export function createdProduct(id: string, fields: NewProduct, now: Date): Product {
  return { id, ...fields, version: 1, createTime: now, updateTime: now };
}

/** A planned product update: the product as it will be stored and the fields that changed. */
export interface ProductUpdate {
  readonly product: Product;
  readonly changedFields: readonly EditableField[];
}

/**
 * Plans an update of the current product: ABORTED when expectedVersion is given and stale, undefined when no value
 * differs (nothing to write), else the product one version up with the changes applied.
 */
export function planProductUpdate(current: Product, changes: ProductChanges, expectedVersion: number | undefined, now: Date): ProductUpdate | undefined {
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw aborted(`product ${JSON.stringify(current.id)} is at version ${current.version}, not ${expectedVersion}`);
  }
  const fields = changedFields(current, changes);
  if (fields.length === 0) return undefined;
  return { product: { ...current, ...changes, version: current.version + 1, updateTime: now }, changedFields: fields };
}
