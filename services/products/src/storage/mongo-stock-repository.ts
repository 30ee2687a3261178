import type { ClientSession } from 'mongodb';
import { DomainError } from '@shop/runtime';
import type { Product } from '../domain/product.js';
import type { StockRepository } from '../domain/repositories.js';
import type { ReleaseOutcome, Reservation, StockItem } from '../domain/reservation.js';
import { moveStock, planRelease, planReservation, planReservations, type ReleasePlan, type ReservationPlan, type ReservationRequest, type StockMove } from '../domain/stock-rules.js';
import { CombiningQueue } from './combining-queue.js';
import { productOf, reservationOf, type ReservationDocument } from './documents.js';
import { isDuplicateKey, type MongoStore } from './mongo-store.js';
import type { ProductEventBuilder } from './product-event-builder.js';
import type { ProductLocks } from './product-locks.js';

/** The most reservations decided together in one transaction. */
const maxReservationsPerBatch = 64;

/**
 * Stock and reservations in MongoDB. The rules are the domain's (planReservation, planRelease, moveStock): this
 * repository loads the state they decide on and applies their plan, the reservation, the stock changes and their
 * events committing in one transaction.
 */
export class MongoStockRepository implements StockRepository {
  constructor(
    private readonly store: MongoStore,
    private readonly events: ProductEventBuilder,
    private readonly locks: ProductLocks,
  ) {}

  private readonly reservations = new CombiningQueue<ReservationRequest, Reservation>((requests) => this.reserveTogether(requests), maxReservationsPerBatch);

  /**
   * Reserves every item or none; a reservation id seen before returns its first answer. Concurrent reservations are
   * decided together, in arrival order, in one transaction: a hot product's buyers wait for at most one batch before
   * theirs, and once its stock is gone they are rejected in that batch, with no queue of one transaction each. A batch
   * is traced in the context of its first reservation's call.
   */
  reserve(reservationId: string, items: readonly StockItem[]): Promise<Reservation> {
    return this.reservations.submit({ reservationId, items });
  }

  private async reserveTogether(requests: readonly ReservationRequest[]): Promise<Array<PromiseSettledResult<Reservation>>> {
    try {
      const answers = await this.locked(
        requests.flatMap((request) => request.items.map((item) => item.productId)),
        (session) => this.applyReservations(session, requests),
      );
      return answers.map((value) => ({ status: 'fulfilled', value }));
    } catch (error) {
      if (requests.length === 1 && !isDuplicateKey(error)) return [{ status: 'rejected', reason: error }];
      return Promise.allSettled(requests.map(({ reservationId, items }) => this.reserveAlone(reservationId, items)));
    }
  }

  /**
   * Decides a batch as if none of its ids had been answered before, without reading the reservations: an id recorded
   * earlier (a retry, a release's tombstone) makes the insert fail on its unique _id, which aborts the whole batch,
   * and the batch is then answered call by call, each repeated id with its first answer.
   */
  private async applyReservations(session: ClientSession, requests: readonly ReservationRequest[]): Promise<readonly Reservation[]> {
    const products = await this.productsIn(session, requests.flatMap((request) => request.items));
    const plan = planReservations(requests, { existing: new Map(), products }, new Date());
    if (plan.moves.length > 0) await this.applyMoves(session, plan.moves);
    if (plan.created.length > 0) await this.store.reservations.insertMany(plan.created.map(reservationDocumentOf), { session });
    return plan.answers;
  }

  /** One reservation in its own transaction: what a batch falls back to when it fails as a whole (each then fails alone). */
  private async reserveAlone(reservationId: string, items: readonly StockItem[]): Promise<Reservation> {
    try {
      const unlocked = planReservation(reservationId, items, await this.reservationState(undefined, reservationId, items), new Date());
      if (unlocked.kind !== 'reserved') return await this.applyReservation(undefined, unlocked);
      return await this.locked(
        items.map((item) => item.productId),
        async (session) => this.applyReservation(session, planReservation(reservationId, items, await this.reservationState(session, reservationId, items), new Date())),
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
    const known = await this.reservation(undefined, reservationId);
    const unlocked = planRelease(reservationId, known, new Map(), new Date());
    if (unlocked.kind !== 'released') return this.applyRelease(undefined, unlocked);
    return this.locked(
      known!.items.map((item) => item.productId),
      async (session) => {
        const current = await this.reservation(session, reservationId);
        const products = await this.productsIn(session, current?.items ?? []);
        return this.applyRelease(session, planRelease(reservationId, current, products, new Date()));
      },
    );
  }

  /** Adds delta units (negative to remove); FAILED_PRECONDITION when stock would leave 0 to 2^31-1. */
  adjust(productId: string, delta: number, reason: string): Promise<Product> {
    return this.locked([productId], async (session) => {
      const move = moveStock(await this.store.product(productId, session), delta, reason, new Date());
      await this.applyMoves(session, [move]);
      return move.product;
    });
  }

  private async reservationState(session: ClientSession | undefined, reservationId: string, items: readonly StockItem[]) {
    const existing = await this.reservation(session, reservationId);
    return existing ? { existing, products: new Map<string, Product>() } : { products: await this.productsIn(session, items) };
  }

  private async applyReservation(session: ClientSession | undefined, plan: ReservationPlan): Promise<Reservation> {
    if (plan.kind === 'answered') return plan.reservation;
    if (plan.kind === 'reserved') await this.applyMoves(session!, plan.moves);
    await this.store.reservations.insertOne(reservationDocumentOf(plan.reservation), { session });
    return plan.reservation;
  }

  private async applyRelease(session: ClientSession | undefined, plan: ReleasePlan): Promise<ReleaseOutcome> {
    if (plan.kind === 'unchanged') return plan.outcome;
    if (plan.kind === 'unknown') {
      try {
        await this.store.reservations.insertOne({ ...reservationDocumentOf(plan.tombstone), releaseTime: plan.tombstone.createTime }, { session });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        return this.release(plan.tombstone.id);
      }
      throw plan.error;
    }
    await this.applyMoves(session!, plan.moves);
    const { id } = plan.outcome.reservation;
    await this.store.reservations.updateOne({ _id: id }, { $set: { status: 'RELEASED', releaseTime: plan.releaseTime } }, { session });
    return plan.outcome;
  }

  private async reservation(session: ClientSession | undefined, reservationId: string): Promise<Reservation | undefined> {
    const document = await this.store.reservations.findOne({ _id: reservationId }, { session });
    return document ? reservationOf(document) : undefined;
  }

  private async productsIn(session: ClientSession | undefined, items: readonly StockItem[]): Promise<Map<string, Product>> {
    const ids = items.map((item) => item.productId);
    const documents = await this.store.products.find({ _id: { $in: ids } }, { session }).toArray();
    return new Map(documents.map((document) => [document._id, productOf(document)]));
  }

  private async applyMoves(session: ClientSession, moves: readonly StockMove[]): Promise<void> {
    const latest = new Map(moves.map(({ product }) => [product.id, product]));
    const { matchedCount } = await this.store.products.bulkWrite(
      [...latest.values()].map((product) => ({
        updateOne: { filter: { _id: product.id }, update: { $set: { stock: product.stock, version: product.version, updateTime: product.updateTime } } },
      })),
      { session, ordered: true },
    );
    if (matchedCount !== latest.size) throw new DomainError('ABORTED', `a product of ${JSON.stringify([...latest.keys()])} changed concurrently; retry`);
    await this.store.record(
      session,
      moves.map((move) => this.events.stockChanged(move.product, move)),
    );
  }

  private locked<T>(productIds: readonly string[], change: (session: ClientSession) => Promise<T>): Promise<T> {
    return this.locks.withLocks(productIds, () => this.store.transaction(change));
  }
}

function reservationDocumentOf(reservation: Reservation): ReservationDocument {
  const { id, ...fields } = reservation;
  return { _id: id, ...fields };
}
