import { notFound, remainingDeadlineMs } from '@shop/runtime';
import type { Product } from '../domain/product.js';
import { CombiningQueue } from './combining-queue.js';
import { productOf } from './documents.js';
import type { MongoStore } from './mongo-store.js';

/** Most single-product reads answered by one query. */
export const maxReadsPerQuery = 256;
/** The longest a batch's query may take when none of its reads has a deadline. */
export const defaultReadTimeoutMs = 30_000;

interface ProductRead {
  readonly id: string;
  /** Epoch milliseconds after which the caller no longer waits for the answer. */
  readonly deadline: number;
}

/** When the current caller stops waiting for a read: its call's deadline, or defaultReadTimeoutMs from now. */
function readDeadline(): number {
  const now = Date.now();
  return now + (remainingDeadlineMs(now) ?? defaultReadTimeoutMs);
}

/**
 * Product reads by id, combined: reads asked for while a query is in flight go together into the next one
 * (`_id $in`), so a busy service makes one store round trip per batch instead of one per call, whether the ids came
 * one per GetProduct or many per BatchGetProducts (whose ids are queued together, so that they share a query rather
 * than the first going out alone). Every answer comes from a query sent after it was asked for: nothing is cached,
 * stock is always current. A lone read goes out at once.
 * The batch's query is traced in the context of its first read, and bounded by the latest deadline among its reads, so
 * a query the store never answers holds up no later read.
 */
export class ProductReads {
  private readonly queue = new CombiningQueue<ProductRead, Product | undefined>((reads) => this.readTogether(reads), maxReadsPerQuery);

  constructor(private readonly store: MongoStore) {}

  /** The product with the given id as stored now; NOT_FOUND when unknown. */
  async get(id: string): Promise<Product> {
    const product = await this.find(id);
    if (!product) throw notFound('product', id);
    return product;
  }

  /** The known products among the ids as stored now, each once, in no particular order. */
  async getMany(ids: readonly string[]): Promise<Product[]> {
    const deadline = readDeadline();
    const found = await Promise.all(this.queue.submitAll([...new Set(ids)].map((id) => ({ id, deadline }))));
    return found.filter((product): product is Product => product !== undefined);
  }

  private find(id: string): Promise<Product | undefined> {
    return this.queue.submit({ id, deadline: readDeadline() });
  }

  private async readTogether(reads: readonly ProductRead[]): Promise<Array<PromiseSettledResult<Product | undefined>>> {
    const ids = [...new Set(reads.map((read) => read.id))];
    const timeoutMS = Math.max(1, Math.max(...reads.map((read) => read.deadline)) - Date.now());
    const documents = await this.store.products.find({ _id: { $in: ids } }, { batchSize: ids.length, timeoutMS }).toArray();
    const byId = new Map(documents.map((document) => [document._id, document]));
    return reads.map((read) => {
      const document = byId.get(read.id);
      return { status: 'fulfilled', value: document && productOf(document) };
    });
  }
}
