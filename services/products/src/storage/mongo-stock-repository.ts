import type { ClientSession } from 'mongodb';
import { DomainError, failedPrecondition, notFound } from '@shop/runtime';
import type { Product } from '../domain/product.js';
import type { StockRepository } from '../domain/repositories.js';
import { shortItems, type ReleaseOutcome, type Reservation, type StockItem } from '../domain/reservation.js';
import type { ProductEvents } from '../events/product-events.js';
import { productOf, reservationOf, type ReservationDocument } from './documents.js';
import { isDuplicateKey, type MongoStore } from './mongo-store.js';
import type { ProductLocks } from './product-locks.js';

const maxStock = 2_147_483_647;

interface StockMove {
  readonly product: Product;
  readonly delta: number;
}

/** Stock and reservations in MongoDB: the reservation, the stock changes and their events commit in one transaction. */
export class MongoStockRepository implements StockRepository {
  constructor(
    private readonly store: MongoStore,
    private readonly events: ProductEvents,
    private readonly locks: ProductLocks,
  ) {}

  /** Reserves every item or none; a reservation id seen before returns its first answer. */
  async reserve(reservationId: string, items: readonly StockItem[]): Promise<Reservation> {
    const known = await this.store.reservations.findOne({ _id: reservationId });
    if (known) return reservationOf(known);
    try {
      const short = await this.shortNow(items);
      if (short.length > 0) return await this.reject(reservationId, items, short);
      return await this.locks.withLocks(
        items.map((item) => item.productId),
        async () => {
          const shortOnceLocked = await this.shortNow(items);
          if (shortOnceLocked.length > 0) return this.reject(reservationId, items, shortOnceLocked);
          return this.store.transaction((session) => this.reserveIn(session, reservationId, items));
        },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return reservationOf((await this.store.reservations.findOne({ _id: reservationId }))!);
    }
  }

  /**
   * Returns a RESERVED reservation's units to stock, once. An unknown reservation id is NOT_FOUND, and is recorded as
   * released so that a reservation with that id arriving later (a delayed retry) holds nothing.
   */
  async release(reservationId: string): Promise<ReleaseOutcome> {
    const known = await this.store.reservations.findOne({ _id: reservationId });
    if (!known) return this.releaseUnknown(reservationId);
    if (known.status !== 'RESERVED') return { reservation: reservationOf(known), releasedNow: false };
    return this.locked(
      known.items.map((item) => item.productId),
      (session) => this.releaseIn(session, reservationId),
    );
  }

  /** Adds delta units (negative to remove); FAILED_PRECONDITION when stock would leave 0 to 2^31-1. */
  adjust(productId: string, delta: number, reason: string): Promise<Product> {
    return this.locked([productId], async (session) => {
      const product = await this.store.product(productId, session);
      const next = product.stock + delta;
      if (next < 0) throw failedPrecondition(`stock of product ${JSON.stringify(productId)} is ${product.stock}; removing ${-delta} would go below zero`);
      if (next > maxStock) throw failedPrecondition(`stock of product ${JSON.stringify(productId)} would exceed ${maxStock}`);
      const [updated] = await this.move(session, [{ product, delta }], reason);
      return updated!;
    });
  }

  private async reserveIn(session: ClientSession, reservationId: string, items: readonly StockItem[]): Promise<Reservation> {
    const existing = await this.store.reservations.findOne({ _id: reservationId }, { session });
    if (existing) return reservationOf(existing);
    const products = await this.productsIn(session, items);
    const reservation = newReservation(reservationId, items, shortItems(items, stockById(products)));
    if (reservation.status === 'RESERVED') {
      await this.move(session, items.map((item) => ({ product: products.get(item.productId)!, delta: -item.quantity })), 'reserve');
    }
    await this.store.reservations.insertOne(reservationDocumentOf(reservation), { session });
    return reservation;
  }

  private async reject(reservationId: string, items: readonly StockItem[], short: string[]): Promise<Reservation> {
    const reservation = newReservation(reservationId, items, short);
    await this.store.reservations.insertOne(reservationDocumentOf(reservation));
    return reservation;
  }

  private async releaseUnknown(reservationId: string): Promise<ReleaseOutcome> {
    const now = new Date();
    try {
      await this.store.reservations.insertOne({ _id: reservationId, items: [], status: 'RELEASED', shortProductIds: [], createTime: now, releaseTime: now });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.release(reservationId);
    }
    throw notFound('reservation', reservationId);
  }

  private async releaseIn(session: ClientSession, reservationId: string): Promise<ReleaseOutcome> {
    const current = (await this.store.reservations.findOne({ _id: reservationId }, { session }))!;
    if (current.status !== 'RESERVED') return { reservation: reservationOf(current), releasedNow: false };
    const products = await this.productsIn(session, current.items);
    const moves = current.items.flatMap((item) => {
      const product = products.get(item.productId);
      return product ? [{ product, delta: item.quantity }] : [];
    });
    await this.move(session, moves, 'release');
    await this.store.reservations.updateOne({ _id: reservationId }, { $set: { status: 'RELEASED', releaseTime: new Date() } }, { session });
    return { reservation: { ...reservationOf(current), status: 'RELEASED' }, releasedNow: true };
  }

  /**
   * The items that current stock cannot cover, read outside any transaction: a hot product's buyers queued behind
   * its lock are refused as soon as its stock runs out, without a transaction each. The transaction re-checks.
   */
  private async shortNow(items: readonly StockItem[]): Promise<string[]> {
    return shortItems(items, stockById(await this.productsIn(undefined, items)));
  }

  private async productsIn(session: ClientSession | undefined, items: readonly StockItem[]): Promise<Map<string, Product>> {
    const ids = items.map((item) => item.productId);
    const documents = await this.store.products.find({ _id: { $in: ids } }, { session }).toArray();
    return new Map(documents.map((document) => [document._id, productOf(document)]));
  }

  private async move(session: ClientSession, moves: readonly StockMove[], reason: string): Promise<Product[]> {
    const updateTime = new Date();
    const updated = moves.map(({ product, delta }) => ({ ...product, stock: product.stock + delta, version: product.version + 1, updateTime }));
    if (updated.length > 0) {
      const { matchedCount } = await this.store.products.bulkWrite(
        updated.map((product) => ({ updateOne: { filter: { _id: product.id }, update: { $set: { stock: product.stock, version: product.version, updateTime } } } })),
        { session, ordered: true },
      );
      if (matchedCount !== updated.length) throw new DomainError('ABORTED', `one of products ${updated.map((product) => JSON.stringify(product.id)).join(', ')} changed concurrently; retry`);
    }
    await this.store.record(
      session,
      updated.map((product, index) => this.events.stockChanged(product, { delta: moves[index]!.delta, reason })),
    );
    return updated;
  }

  private locked<T>(productIds: readonly string[], change: (session: ClientSession) => Promise<T>): Promise<T> {
    return this.locks.withLocks(productIds, () => this.store.transaction(change));
  }
}

function newReservation(reservationId: string, items: readonly StockItem[], short: string[]): Reservation {
  return {
    id: reservationId,
    items: items.map(({ productId, quantity }) => ({ productId, quantity })),
    status: short.length > 0 ? 'REJECTED' : 'RESERVED',
    shortProductIds: short,
    createTime: new Date(),
  };
}

function stockById(products: ReadonlyMap<string, Product>): Map<string, number> {
  return new Map([...products].map(([id, product]) => [id, product.stock]));
}

function reservationDocumentOf(reservation: Reservation): ReservationDocument {
  const { id, ...fields } = reservation;
  return { _id: id, ...fields };
}
