import type { IndexedProduct } from '../domain/indexed-product.js';

/** The stored document of a product (the V1 mapping's fields). */
export interface ProductSource {
  product_id: string;
  name: string;
  description: string;
  category_id: string;
  currency: string;
  price_minor: number;
  stock: number;
  in_stock: boolean;
  version: number;
  deleted: boolean;
}

/** The stored document of a product snapshot. */
export function toSource(product: IndexedProduct): ProductSource {
  return {
    product_id: product.productId,
    name: product.name,
    description: product.description,
    category_id: product.categoryId,
    currency: product.currency,
    price_minor: Number(product.priceMinor),
    stock: product.stock,
    in_stock: product.stock > 0,
    version: Number(product.version),
    deleted: product.deleted,
  };
}
