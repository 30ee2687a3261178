import type { ServiceImpl } from '@connectrpc/connect';
import { invalidArgument } from '@shop/runtime';
import type { ProductService } from '@shop/gen/product/v1/product_service_pb';
import type { ProductRepository, StockRepository } from '../domain/repositories.js';
import { categoryMessage, productMessage, reservationMessage } from './messages.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { changesOf } from './product-changes.js';
import {
  requiredId,
  validCategoryId,
  validDescription,
  validIds,
  validItems,
  validName,
  validPageSize,
  validPrice,
  validReason,
  validSku,
} from './validation.js';

/** The repositories the API works on. */
export interface ProductServiceDeps {
  readonly products: ProductRepository;
  readonly stock: StockRepository;
}

/** shop.product.v1.ProductService: validates requests, calls the repositories and maps domain values to messages. */
export function productServiceImpl({ products, stock }: ProductServiceDeps): ServiceImpl<typeof ProductService> {
  return {
    async getProduct(request) {
      return { product: productMessage(await products.get(requiredId('id', request.id))) };
    },

    async batchGetProducts(request) {
      const ids = validIds('ids', request.ids);
      const byId = new Map((await products.getMany(ids)).map((product) => [product.id, product]));
      return {
        products: ids.flatMap((id) => {
          const product = byId.get(id);
          return product ? [productMessage(product)] : [];
        }),
        missingIds: [...new Set(ids.filter((id) => !byId.has(id)))],
      };
    },

    async listProducts(request) {
      const categoryId = request.categoryId ? validCategoryId('category_id', request.categoryId) : '';
      const afterId = decodePageToken(request.pageToken, categoryId);
      const page = await products.list({ categoryId, afterId, limit: validPageSize(request.pageSize) });
      return {
        products: page.products.map(productMessage),
        nextPageToken: page.lastId ? encodePageToken({ after: page.lastId, categoryId }) : '',
      };
    },

    async createProduct(request) {
      if (request.stock < 0) throw invalidArgument('stock', 'must not be negative');
      const product = await products.create({
        sku: validSku('sku', request.sku),
        name: validName('name', request.name),
        description: validDescription('description', request.description),
        categoryId: validCategoryId('category_id', request.categoryId),
        price: validPrice('price', request.price),
        stock: request.stock,
      });
      return { product: productMessage(product) };
    },

    async updateProduct(request) {
      if (!request.product) throw invalidArgument('product', 'is required');
      if (request.expectedVersion < 0n) throw invalidArgument('expected_version', 'must not be negative');
      const id = requiredId('product.id', request.product.id);
      const changes = changesOf(request.product, request.updateMask);
      const expectedVersion = request.expectedVersion === 0n ? undefined : Number(request.expectedVersion);
      return { product: productMessage(await products.update(id, changes, expectedVersion)) };
    },

    async deleteProduct(request) {
      await products.delete(requiredId('id', request.id));
      return {};
    },

    async listCategories() {
      return { categories: (await products.categories()).map(categoryMessage) };
    },

    async reserveStock(request) {
      const reservationId = requiredId('reservation_id', request.reservationId);
      return { reservation: reservationMessage(await stock.reserve(reservationId, validItems(request.items))) };
    },

    async releaseStock(request) {
      const outcome = await stock.release(requiredId('reservation_id', request.reservationId));
      return { reservation: reservationMessage(outcome.reservation), releasedNow: outcome.releasedNow };
    },

    async adjustStock(request) {
      const productId = requiredId('product_id', request.productId);
      if (request.delta === 0) throw invalidArgument('delta', 'must not be 0');
      const reason = validReason(request.reason);
      return { product: productMessage(await stock.adjust(productId, request.delta, reason)) };
    },
  };
}
