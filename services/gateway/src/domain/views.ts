import { create } from '@bufbuild/protobuf';
import type { Product } from '@shop/gen/product/v1/product_pb';
import type { SearchHit } from '@shop/gen/search/v1/search_pb';
import type { Cart } from '@shop/gen/cart/v1/cart_pb';
import { OrderStatus, type Order } from '@shop/gen/order/v1/order_pb';
import type { User } from '@shop/gen/user/v1/user_pb';
import {
  CartLineViewSchema,
  CartViewSchema,
  CustomerViewSchema,
  OrderLineViewSchema,
  OrderState,
  OrderViewSchema,
  ProductViewSchema,
  SearchItemSchema,
  type CartView,
  type CustomerView,
  type OrderView,
  type ProductView,
  type SearchItem,
} from '@shop/gen/storefront/v1/storefront_pb';
import { sum, times } from './money.js';

/** Products by id, as one batch call returned them. */
export type ProductsById = ReadonlyMap<string, Product>;

/** Indexes a batch of products by id. */
export function byId(products: readonly Product[]): ProductsById {
  return new Map(products.map((product) => [product.id, product]));
}

/** A product as the shop front shows it. */
export function toProductView(product: Product): ProductView {
  return create(ProductViewSchema, {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    categoryId: product.categoryId,
    price: product.price,
    stock: product.stock,
    available: product.stock > 0,
  });
}

/** A search hit with live price and stock when the products batch has it, else the indexed values. */
export function toSearchItem(hit: SearchHit, live: ProductsById | undefined): SearchItem {
  const product = live?.get(hit.productId);
  return create(SearchItemSchema, {
    productId: hit.productId,
    name: product?.name ?? hit.name,
    categoryId: hit.categoryId,
    price: product?.price ?? hit.price,
    stock: product?.stock ?? 0,
    live: product !== undefined,
    highlights: Object.fromEntries(hit.highlights.map((highlight) => [highlight.field, highlight.fragments.join(' … ')])),
  });
}

/** The cart with product details and totals; lines whose product is unknown keep only their id. */
export function toCartView(cart: Cart | undefined, products: ProductsById | undefined): CartView {
  const lines = (cart?.lines ?? []).map((line) => {
    const product = products?.get(line.productId);
    return create(CartLineViewSchema, {
      product: product ? toProductView(product) : create(ProductViewSchema, { id: line.productId }),
      quantity: line.quantity,
      lineTotal: times(product?.price, line.quantity),
    });
  });
  return create(CartViewSchema, {
    lines,
    total: sum(lines.map((line) => line.lineTotal)),
    itemCount: lines.reduce((count, line) => count + line.quantity, 0),
  });
}

const stateOf: Record<OrderStatus, OrderState> = {
  [OrderStatus.UNSPECIFIED]: OrderState.UNSPECIFIED,
  [OrderStatus.PENDING]: OrderState.PENDING,
  [OrderStatus.CONFIRMED]: OrderState.CONFIRMED,
  [OrderStatus.REJECTED]: OrderState.REJECTED,
  [OrderStatus.CANCELLED]: OrderState.CANCELLED,
};

/** An order with its copied names and prices; with a products batch, each line's current availability. */
export function toOrderView(order: Order, products?: ProductsById): OrderView {
  const address = order.shippingAddress;
  return create(OrderViewSchema, {
    id: order.id,
    state: stateOf[order.status],
    stateReason: order.statusReason,
    lines: order.items.map((item) =>
      create(OrderLineViewSchema, {
        productId: item.productId,
        productName: item.productName,
        unitPrice: item.unitPrice,
        quantity: item.quantity,
        lineTotal: item.lineTotal,
        availableNow: (products?.get(item.productId)?.stock ?? 0) > 0,
      }),
    ),
    total: order.total,
    customerName: order.customerName,
    shippingAddressLines: address ? [address.line1, address.line2, address.line3].filter((line) => line !== '') : [],
    createTime: order.createTime,
  });
}

/** The customer as the shop front shows them. */
export function toCustomerView(user: User): CustomerView {
  return create(CustomerViewSchema, { id: user.id, displayName: user.displayName, email: user.email });
}
