import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MoneySchema } from '@shop/gen/common/v1/money_pb';
import {
  CategorySchema,
  ProductSchema,
  ReservationSchema,
  ReservationStatus,
  type Category as CategoryMessage,
  type Product as ProductMessage,
  type Reservation as ReservationMessage,
} from '@shop/gen/product/v1/product_pb';
import type { Category, Product } from '../domain/product.js';
import type { Reservation } from '../domain/reservation.js';

/** The protobuf message of a product. */
export function productMessage(product: Product): ProductMessage {
  return create(ProductSchema, {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    categoryId: product.categoryId,
    price: create(MoneySchema, { amountMinor: product.price.amountMinor, currencyCode: product.price.currencyCode }),
    stock: product.stock,
    version: BigInt(product.version),
    createTime: timestampFromDate(product.createTime),
    updateTime: timestampFromDate(product.updateTime),
  });
}

/** The protobuf message of a category. */
export function categoryMessage(category: Category): CategoryMessage {
  return create(CategorySchema, { id: category.id, productCount: category.productCount });
}

const statusMessage = {
  RESERVED: ReservationStatus.RESERVED,
  REJECTED: ReservationStatus.REJECTED,
  RELEASED: ReservationStatus.RELEASED,
} as const;

/** The protobuf message of a reservation. */
export function reservationMessage(reservation: Reservation): ReservationMessage {
  return create(ReservationSchema, {
    reservationId: reservation.id,
    items: reservation.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    status: statusMessage[reservation.status],
    shortProductIds: reservation.shortProductIds,
    createTime: timestampFromDate(reservation.createTime),
  });
}
