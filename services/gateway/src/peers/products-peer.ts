import { create } from '@bufbuild/protobuf';
import { FieldMaskSchema } from '@bufbuild/protobuf/wkt';
import type { Client } from '@connectrpc/connect';
import { ProductSchema, type Product } from '@shop/gen/product/v1/product_pb';
import type { ProductService } from '@shop/gen/product/v1/product_service_pb';
import type { CatalogProduct, ProductsPort } from '../domain/ports.js';
import { callOptions } from './call-options.js';
import { defined, moneyOf } from './proto-values.js';

/** The products service behind the ProductsPort. */
export function productsPeer(client: Client<typeof ProductService>): ProductsPort {
  return {
    get: async (id) => optionalProduct((await client.getProduct({ id }, callOptions())).product),
    batchGet: async (ids, budget) => (await client.batchGetProducts({ ids: [...ids] }, callOptions(budget))).products.map(catalogProductOf),
    create: async (product) => optionalProduct((await client.createProduct({ ...product }, callOptions())).product),
    updatePrice: async (id, price) => {
      const { product } = await client.updateProduct(
        { product: create(ProductSchema, { id, price }), updateMask: create(FieldMaskSchema, { paths: ['price'] }) },
        callOptions(),
      );
      return optionalProduct(product);
    },
  };
}

function optionalProduct(product: Product | undefined): CatalogProduct | undefined {
  return product ? catalogProductOf(product) : undefined;
}

function catalogProductOf(product: Product): CatalogProduct {
  const { id, sku, name, description, categoryId, stock } = product;
  return defined({ id, sku, name, description, categoryId, price: moneyOf(product.price), stock });
}
