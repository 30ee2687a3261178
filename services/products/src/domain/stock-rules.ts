import { failedPrecondition, notFound } from '@shop/runtime/errors';
import type { Product } from './product.js';
import { shortItems, type ReleaseOutcome, type Reservation, type StockItem } from './reservation.js';

/** The most units a product may hold: the largest 32-bit signed integer. */
export const maxStock = 2_147_483_647;

/** A planned change of one product's stock: the product as it will be stored, the units moved and why. */
export interface StockMove {
  readonly product: Product;
  readonly delta: number;
  readonly reason: string;
}

/** What a reservation request needs to be decided: the reservation already recorded under its id, and the products it names. */
export interface ReservationState {
  readonly existing?: Reservation;
  readonly products: ReadonlyMap<string, Product>;
}

/** The decision on a reservation request: writes to apply, or none when the id was already answered. */
export type ReservationPlan =
  | { readonly kind: 'answered'; readonly reservation: Reservation }
  | { readonly kind: 'rejected'; readonly reservation: Reservation }
  | { readonly kind: 'reserved'; readonly reservation: Reservation; readonly moves: readonly StockMove[] };

/** The decision on a release request. */
export type ReleasePlan =
  | { readonly kind: 'unknown'; readonly tombstone: Reservation; readonly error: Error }
  | { readonly kind: 'unchanged'; readonly outcome: ReleaseOutcome }
  | { readonly kind: 'released'; readonly outcome: ReleaseOutcome; readonly moves: readonly StockMove[]; readonly releaseTime: Date };

/** The product after moving delta units, one version up; FAILED_PRECONDITION when its stock would leave 0 … maxStock. */
export function moveStock(product: Product, delta: number, reason: string, now: Date): StockMove {
  const next = product.stock + delta;
  if (next < 0) throw failedPrecondition(`stock of product ${JSON.stringify(product.id)} is ${product.stock}; removing ${-delta} would go below zero`);
  if (next > maxStock) throw failedPrecondition(`stock of product ${JSON.stringify(product.id)} would exceed ${maxStock}`);
  return moved(product, delta, reason, now);
}

function moved(product: Product, delta: number, reason: string, now: Date): StockMove {
  return { product: { ...product, stock: product.stock + delta, version: product.version + 1, updateTime: now }, delta, reason };
}

/**
 * Decides a reservation, all items or none: an id seen before keeps its first answer; an unknown or short product
 * rejects the whole reservation and moves nothing; otherwise every item's units are taken.
 */
export function planReservation(reservationId: string, items: readonly StockItem[], state: ReservationState, now: Date): ReservationPlan {
  if (state.existing) return { kind: 'answered', reservation: state.existing };
  const stockById = new Map([...state.products].map(([id, product]) => [id, product.stock]));
  const short = shortItems(items, stockById);
  const reservation: Reservation = {
    id: reservationId,
    items: items.map(({ productId, quantity }) => ({ productId, quantity })),
    status: short.length > 0 ? 'REJECTED' : 'RESERVED',
    shortProductIds: short,
    createTime: now,
  };
  if (short.length > 0) return { kind: 'rejected', reservation };
  const moves = items.map((item) => moveStock(state.products.get(item.productId)!, -item.quantity, 'reserve', now));
  return { kind: 'reserved', reservation, moves };
}

/** A reservation request: the caller's id and the units it asks for. */
export interface ReservationRequest {
  readonly reservationId: string;
  readonly items: readonly StockItem[];
}

/** The decisions on reservation requests taken together: one answer per request, the reservations to record and the stock moves. */
export interface ReservationBatchPlan {
  readonly answers: readonly Reservation[];
  readonly created: readonly Reservation[];
  readonly moves: readonly StockMove[];
}

/**
 * Decides reservation requests in arrival order against the same stock, each all-or-nothing as planReservation decides
 * it: a later request sees the units an earlier one took, and a repeated id gets the first answer given to that id.
 */
export function planReservations(requests: readonly ReservationRequest[], state: { readonly existing: ReadonlyMap<string, Reservation>; readonly products: ReadonlyMap<string, Product> }, now: Date): ReservationBatchPlan {
  const products = new Map(state.products);
  const known = new Map(state.existing);
  const answers: Reservation[] = [];
  const created: Reservation[] = [];
  const moves: StockMove[] = [];
  for (const { reservationId, items } of requests) {
    const existing = known.get(reservationId);
    const plan = planReservation(reservationId, items, existing ? { existing, products } : { products }, now);
    answers.push(plan.reservation);
    if (plan.kind === 'answered') continue;
    created.push(plan.reservation);
    known.set(reservationId, plan.reservation);
    if (plan.kind !== 'reserved') continue;
    for (const move of plan.moves) products.set(move.product.id, move.product);
    moves.push(...plan.moves);
  }
  return { answers, created, moves };
}

/**
 * Decides a release: a RESERVED reservation returns its units (to the products that still exist) once; any other
 * status changes nothing; an unknown id is NOT_FOUND and is recorded as released with no items, so that a
 * reservation with that id arriving later (a delayed retry) holds nothing.
 */
export function planRelease(reservationId: string, current: Reservation | undefined, products: ReadonlyMap<string, Product>, now: Date): ReleasePlan {
  if (!current) {
    const tombstone: Reservation = { id: reservationId, items: [], status: 'RELEASED', shortProductIds: [], createTime: now };
    return { kind: 'unknown', tombstone, error: notFound('reservation', reservationId) };
  }
  if (current.status !== 'RESERVED') return { kind: 'unchanged', outcome: { reservation: current, releasedNow: false } };
  const moves = current.items.flatMap((item) => {
    const product = products.get(item.productId);
    return product ? [moved(product, item.quantity, 'release', now)] : [];
  });
  return { kind: 'released', outcome: { reservation: { ...current, status: 'RELEASED' }, releasedNow: true }, moves, releaseTime: now };
}
