import type { Client } from '@connectrpc/connect';
import type { ProductService } from '@shop/gen/product/v1/product_service_pb';
import type { IndexedProduct } from '../domain/indexed-product.js';
import type { ProductCatalog } from '../domain/rebuild.js';
import { snapshotOf } from './product-snapshot.js';

/** The largest page ListProducts serves. */
export const maxListPageSize = 100;

/** The products API as the rebuild's source: ListProducts page by page, counted through ListCategories. */
export class ProductsApiCatalog implements ProductCatalog {
  constructor(private readonly products: Client<typeof ProductService>) {}

  /** The number of products, summed over their categories. */
  async count(): Promise<number | undefined> {
    const { categories } = await this.products.listCategories({});
    return categories.reduce((total, category) => total + category.productCount, 0);
  }

  /** Every product, a page at a time. */
  async *pages(pageSize: number): AsyncIterable<readonly IndexedProduct[]> {
    let pageToken = '';
    do {
      const page = await this.products.listProducts({ pageSize: Math.min(pageSize, maxListPageSize), pageToken });
      yield page.products.map((product) => snapshotOf(product));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
  }
}
