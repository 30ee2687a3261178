import type { Binary, ObjectId } from 'mongodb';
import type { Product } from '../domain/product.js';
import type { Reservation, ReservationStatus, StockItem } from '../domain/reservation.js';

/** A product as stored in the `products` collection. */
export interface ProductDocument {
  _id: string;
  sku: string;
  name: string;
  description: string;
  categoryId: string;
  price: { amountMinor: bigint; currencyCode: string };
  stock: number;
  version: number;
  createTime: Date;
  updateTime: Date;
}

/** A reservation as stored in the `reservations` collection, keyed by the caller's reservation id. */
export interface ReservationDocument {
  _id: string;
  items: StockItem[];
  status: ReservationStatus;
  shortProductIds: string[];
  createTime: Date;
  releaseTime?: Date;
}

/** An event waiting in (or relayed from) the `outbox` collection; `_id` orders events by when they were written. */
export interface OutboxDocument {
  _id: ObjectId;
  eventId: string;
  subject: string;
  type: string;
  payload: Binary;
  createTime: Date;
  publishedAt: Date | null;
  /** The W3C trace context (traceparent, tracestate) of the change that wrote the event, when it was traced. */
  traceContext?: Record<string, string>;
}

/** The domain product of a stored document. */
export function productOf(document: ProductDocument): Product {
  const { _id, price, ...fields } = document;
  return { id: _id, ...fields, price: { amountMinor: BigInt(price.amountMinor), currencyCode: price.currencyCode } };
}

/** The stored document of a domain product. */
export function productDocumentOf(product: Product): ProductDocument {
  const { id, ...fields } = product;
  return { _id: id, ...fields, price: { ...product.price } };
}

/** The domain reservation of a stored document. */
export function reservationOf(document: ReservationDocument): Reservation {
  return {
    id: document._id,
    items: document.items.map(({ productId, quantity }) => ({ productId, quantity })),
    status: document.status,
    shortProductIds: document.shortProductIds,
    createTime: document.createTime,
  };
}
