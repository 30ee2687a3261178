import type { Product } from '@shop/gen/product/v1/product_pb';
import type { IndexedProduct } from '../domain/indexed-product.js';

/** The projection's snapshot of a product at a version (the event's, which may be given apart from the product). */
export function snapshotOf(product: Product, version: bigint = product.version): IndexedProduct {
  return {
    productId: product.id,
    version,
    deleted: false,
    name: product.name,
    description: product.description,
    categoryId: product.categoryId,
    currency: product.price?.currencyCode ?? '',
    priceMinor: product.price?.amountMinor ?? 0n,
    stock: product.stock,
  };
}
