import type { IndexMigration } from '../src/storage/index-migration.js';

/** V1: the product search index: English-analysed name and description, keyword ids, numeric price and stock. */
export const v1ProductsIndex: IndexMigration = {
  version: 1,
  name: 'V1__products_index',
  settings: { number_of_shards: 1, refresh_interval: '1s' },
  mappings: {
    dynamic: 'strict',
    properties: {
      product_id: { type: 'keyword' },
      name: { type: 'text', analyzer: 'english' },
      description: { type: 'text', analyzer: 'english' },
      category_id: { type: 'keyword' },
      currency: { type: 'keyword' },
      price_minor: { type: 'long' },
      stock: { type: 'integer' },
      in_stock: { type: 'boolean' },
      version: { type: 'long' },
      deleted: { type: 'boolean' },
    },
  },
};
