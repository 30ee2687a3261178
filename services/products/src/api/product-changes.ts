import { invalidArgument } from '@shop/runtime';
import type { FieldMask } from '@bufbuild/protobuf/wkt';
import type { Product as ProductMessage } from '@shop/gen/product/v1/product_pb';
import type { ProductChanges } from '../domain/product.js';
import { validCategoryId, validDescription, validName, validPrice, validSku } from './validation.js';

type ChangeReader = (product: ProductMessage) => ProductChanges;

const readers: Record<string, ChangeReader> = {
  sku: (product) => ({ sku: validSku('product.sku', product.sku) }),
  name: (product) => ({ name: validName('product.name', product.name) }),
  description: (product) => ({ description: validDescription('product.description', product.description) }),
  category_id: (product) => ({ categoryId: validCategoryId('product.category_id', product.categoryId) }),
  price: (product) => ({ price: validPrice('product.price', product.price) }),
};

/** The validated new values of the fields an update mask names; INVALID_ARGUMENT naming update_mask for an unknown path. */
export function changesOf(product: ProductMessage, mask: FieldMask | undefined): ProductChanges {
  const paths = mask?.paths ?? [];
  if (paths.length === 0) throw invalidArgument('update_mask', `must name at least one of ${Object.keys(readers).join(', ')}`);
  const unknown = paths.filter((path) => !Object.hasOwn(readers, path));
  if (unknown.length > 0) throw invalidArgument('update_mask', `cannot change ${unknown.join(', ')}; allowed: ${Object.keys(readers).join(', ')}`);
  return Object.assign({}, ...paths.map((path) => readers[path]!(product))) as ProductChanges;
}
