/** Units of one product asked for by a reservation. */
export interface StockItem {
  readonly productId: string;
  readonly quantity: number;
}

/** Where a reservation stands. */
export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED';

/** A reservation of stock across products, keyed by the caller's id. */
export interface Reservation {
  readonly id: string;
  readonly items: StockItem[];
  readonly status: ReservationStatus;
  readonly shortProductIds: string[];
  readonly createTime: Date;
}

/** The outcome of a release: the reservation and whether this call returned its units. */
export interface ReleaseOutcome {
  readonly reservation: Reservation;
  readonly releasedNow: boolean;
}

/** Ids of the items whose product is unknown or has fewer units than asked for. */
export function shortItems(items: readonly StockItem[], stockById: ReadonlyMap<string, number>): string[] {
  return items.filter((item) => (stockById.get(item.productId) ?? -1) < item.quantity).map((item) => item.productId);
}
