import { ObjectId, type ClientSession } from 'mongodb';
import { alreadyExists } from '@shop/runtime';
import { createdProduct, planProductUpdate } from '../domain/catalog-rules.js';
import type { Category, NewProduct, Product, ProductChanges, ProductPage } from '../domain/product.js';
import type { ProductRepository } from '../domain/repositories.js';
import { productDocumentOf, productOf } from './documents.js';
import { isDuplicateKey, type MongoStore } from './mongo-store.js';
import type { ProductEventBuilder } from './product-event-builder.js';
import type { ProductLocks } from './product-locks.js';
import { ProductReads } from './product-reads.js';

/** The catalog in MongoDB: each change the domain planned and its event are written in one transaction. */
export class MongoProductRepository implements ProductRepository {
  private readonly reads: ProductReads;

  constructor(
    private readonly store: MongoStore,
    private readonly events: ProductEventBuilder,
    private readonly locks: ProductLocks,
  ) {
    this.reads = new ProductReads(store);
  }

  /** One product as stored now (concurrent reads share one query); NOT_FOUND when unknown. */
  get(id: string): Promise<Product> {
    return this.reads.get(id);
  }

  /** The known products among the ids as stored now (concurrent reads share one query), in no particular order. */
  getMany(ids: readonly string[]): Promise<Product[]> {
    return this.reads.getMany(ids);
  }

  /** A page of products ordered by id, starting after afterId. */
  async list(query: { categoryId?: string; afterId?: string; limit: number }): Promise<ProductPage> {
    const filter = {
      ...(query.categoryId ? { categoryId: query.categoryId } : {}),
      ...(query.afterId ? { _id: { $gt: query.afterId } } : {}),
    };
    const documents = await this.store.products.find(filter).sort({ _id: 1 }).limit(query.limit + 1).toArray();
    const products = documents.slice(0, query.limit).map(productOf);
    return documents.length > query.limit ? { products, lastId: products.at(-1)?.id } : { products };
  }

  /** Creates a product at version 1; ALREADY_EXISTS when its SKU is taken. */
  async create(fields: NewProduct): Promise<Product> {
    const product = createdProduct(new ObjectId().toHexString(), fields, new Date());
    await this.write(fields.sku, (session) => this.insert(session, product));
    return product;
  }

  /** Applies the changes that differ from the stored values, one version up; ABORTED when expectedVersion is stale. */
  update(id: string, changes: ProductChanges, expectedVersion?: number): Promise<Product> {
    return this.locks.withLocks([id], () =>
      this.write(changes.sku, async (session) => {
        const current = await this.store.product(id, session);
        const update = planProductUpdate(current, changes, expectedVersion, new Date());
        if (!update) return current;
        const { _id, createTime: _createTime, ...values } = productDocumentOf(update.product);
        await this.store.products.updateOne({ _id }, { $set: values }, { session });
        await this.store.record(session, [this.events.updated(update.product, update.changedFields)]);
        return update.product;
      }),
    );
  }

  /** Deletes a product; its ProductDeleted event stays in the outbox. NOT_FOUND when unknown. */
  async delete(id: string): Promise<void> {
    await this.locks.withLocks([id], () =>
      this.write(undefined, async (session) => {
        const current = await this.store.product(id, session);
        await this.store.products.deleteOne({ _id: id }, { session });
        await this.store.record(session, [this.events.deleted(current, new Date())]);
      }),
    );
  }

  /** The categories that hold products, ordered by id, counted by one aggregation. */
  async categories(): Promise<Category[]> {
    const groups = await this.store.products
      .aggregate<{ _id: string; count: number }>([{ $group: { _id: '$categoryId', count: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    return groups.map((group) => ({ id: group._id, productCount: Number(group.count) }));
  }

  private async insert(session: ClientSession, product: Product): Promise<Product> {
    await this.store.products.insertOne(productDocumentOf(product), { session });
    await this.store.record(session, [this.events.created(product)]);
    return product;
  }

  private async write<T>(sku: string | undefined, change: (session: ClientSession) => Promise<T>): Promise<T> {
    try {
      return await this.store.transaction(change);
    } catch (error) {
      if (isDuplicateKey(error)) throw alreadyExists('product', 'sku', sku ?? '');
      throw error;
    }
  }
}
