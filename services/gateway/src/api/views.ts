import { create } from '@bufbuild/protobuf';
import {
  CartViewSchema,
  CustomerViewSchema,
  DegradationSchema,
  OrderState,
  OrderViewSchema,
  ProductViewSchema,
  SearchItemSchema,
  type CartView as CartViewMessage,
  type CustomerView as CustomerViewMessage,
  type Degradation as DegradationMessage,
  type OrderView as OrderViewMessage,
  type ProductView as ProductViewMessage,
  type SearchItem as SearchItemMessage,
} from '@shop/gen/storefront/v1/storefront_pb';
import type { Degradation } from '../domain/degradation.js';
import type { Customer } from '../domain/ports.js';
import type { CartView, OrderView, ProductView, SearchItem } from '../domain/views.js';

/** The ProductView message of a product view. */
export function productViewMessage(view: ProductView): ProductViewMessage {
  return create(ProductViewSchema, view);
}

/** The SearchItem message of a search item. */
export function searchItemMessage(item: SearchItem): SearchItemMessage {
  return create(SearchItemSchema, item);
}

/** The CartView message of a cart view. */
export function cartViewMessage(cart: CartView): CartViewMessage {
  return create(CartViewSchema, { ...cart, lines: [...cart.lines] });
}

/** The OrderView message of an order view. */
export function orderViewMessage(order: OrderView): OrderViewMessage {
  return create(OrderViewSchema, { ...order, state: OrderState[order.state], lines: [...order.lines], shippingAddressLines: [...order.shippingAddressLines] });
}

/** The CustomerView message of a customer. */
export function customerViewMessage(customer: Customer): CustomerViewMessage {
  return create(CustomerViewSchema, customer);
}

/** The Degradation message of an answer's missing parts. */
export function degradationMessage(degradation: Degradation): DegradationMessage {
  return create(DegradationSchema, degradation);
}
