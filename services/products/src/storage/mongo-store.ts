import { MongoClient, MongoServerError, type ClientSession, type Collection, type Db } from 'mongodb';
import { notFound } from '@shop/runtime';
import type { Product } from '../domain/product.js';
import { outboxDocumentOf, type TracedOutboxEvent } from './outbox-store.js';
import { productOf, type OutboxDocument, type ProductDocument, type ReservationDocument } from './documents.js';

/** The database used when the URL names none. */
export const defaultDatabaseName = 'products';

/** The database a MongoDB URL names in its path, or the default. */
export function databaseNameOf(url: string): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url)?.[1];
  return path ? decodeURIComponent(path) : defaultDatabaseName;
}

/** The products service's MongoDB database and its collections. */
export class MongoStore {
  private readonly commitListeners: Array<() => void> = [];

  private constructor(
    readonly client: MongoClient,
    readonly db: Db,
  ) {}

  /** Connects to the URL's server; fails with a message naming the unreachable host. */
  static async connect(url: string): Promise<MongoStore> {
    const client = new MongoClient(url, { useBigInt64: true, appName: 'products', ...defaultsUnlessInUrl(url) });
    try {
      await client.connect();
      await requireTransactions(client.db('admin'));
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`cannot use MongoDB at ${hostsOf(url)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new MongoStore(client, client.db(databaseNameOf(url)));
  }

  /** Products, keyed by product id. */
  get products(): Collection<ProductDocument> {
    return this.db.collection<ProductDocument>('products');
  }

  /** Reservations, keyed by the caller's reservation id. */
  get reservations(): Collection<ReservationDocument> {
    return this.db.collection<ReservationDocument>('reservations');
  }

  /** Events written with the changes they describe, until relayed. */
  get outbox(): Collection<OutboxDocument> {
    return this.db.collection<OutboxDocument>('outbox');
  }

  /** Runs fn in a multi-document transaction, retried by the driver on transient conflicts; then tells the commit listeners. */
  async transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const result = await this.client.withSession((session) =>
      session.withTransaction(() => fn(session), { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } }),
    );
    for (const listener of this.commitListeners) listener();
    return result;
  }

  /** Calls listener after every committed transaction, for example to wake the outbox relay. */
  onCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  /** Appends events to the outbox inside the given transaction. */
  async record(session: ClientSession, events: readonly TracedOutboxEvent[]): Promise<void> {
    if (events.length > 0) await this.outbox.insertMany(events.map(outboxDocumentOf), { session });
  }

  /** The product with the given id, read in the session when one is given; NOT_FOUND otherwise. */
  async product(id: string, session?: ClientSession): Promise<Product> {
    const document = await this.products.findOne({ _id: id }, { session });
    if (!document) throw notFound('product', id);
    return productOf(document);
  }

  /** Fails when the server does not answer. */
  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  /** Closes every connection. */
  close(): Promise<void> {
    return this.client.close();
  }
}

/** Connections kept to the store at most, unless the URL says otherwise: enough for one process's calls, fewer handshakes under a burst. */
export const defaultMaxPoolSize = 16;

function defaultsUnlessInUrl(url: string): { serverSelectionTimeoutMS?: number; maxPoolSize?: number } {
  return {
    ...(/[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 10_000 }),
    ...(/[?&]maxPoolSize=/i.test(url) ? {} : { maxPoolSize: defaultMaxPoolSize }),
  };
}

async function requireTransactions(admin: Db): Promise<void> {
  const hello = await admin.command({ hello: 1 });
  if (!hello.setName && hello.msg !== 'isdbgrid') throw new Error('it is a standalone server; multi-document transactions need a replica set or a sharded cluster');
}

function hostsOf(url: string): string {
  return /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(url)?.[1] ?? 'the configured URL';
}

/** Whether an error is MongoDB's duplicate key error. */
export function isDuplicateKey(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === 11000;
}
