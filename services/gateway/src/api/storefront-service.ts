import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { create } from '@bufbuild/protobuf';
import { FieldMaskSchema } from '@bufbuild/protobuf/wkt';
import { invalidArgument, notFound, failedPrecondition } from '@shop/runtime';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { ProductSchema } from '@shop/gen/product/v1/product_pb';
import type { Cart } from '@shop/gen/cart/v1/cart_pb';
import type { TokenAuthority } from '../auth/jwt.js';
import type { Downstream } from '../downstream.js';
import { DegradationTracker } from '../domain/degradation.js';
import { requireAdmin, requireOwner, requireUser, type Principal } from '../domain/principal.js';
import { byId, toCartView, toCustomerView, toOrderView, toProductView, toSearchItem } from '../domain/views.js';

/** Timeouts of the composed calls. */
export interface CompositionTimeouts {
  /** Budget of a non-essential part (live stock, related products, availability). */
  readonly optionalPartMs: number;
}

/**
 * The storefront API: each call authenticates the caller, then makes at most one call per downstream service.
 * Essential parts failing give UNAVAILABLE naming the dependency; non-essential ones leave the answer marked partial.
 */
export function storefrontService(downstream: Downstream, tokens: TokenAuthority, timeouts: CompositionTimeouts): ServiceImpl<typeof StorefrontService> {
  const { products, orders, users, cart, search } = downstream;
  const principalOf = (context: HandlerContext): Promise<Principal | undefined> => tokens.principalOf(context.requestHeader.get('authorization'));
  const optional = { timeoutMs: timeouts.optionalPartMs };

  const cartWithDetails = async (cartCall: Promise<{ cart?: Cart }>) => {
    const { cart: userCart } = await cartCall;
    const ids = userCart?.lines.map((line) => line.productId) ?? [];
    const degradation = new DegradationTracker();
    const details = ids.length === 0 ? { products: [] } : await degradation.optional('product_details', () => products.batchGetProducts({ ids }, optional));
    const known = details ? byId(details.products) : undefined;
    return { known, answer: { cart: toCartView(userCart, known), degradation: degradation.toMessage() } };
  };

  return {
    async searchProducts(request, context) {
      await principalOf(context);
      const result = await search.searchProducts({
        query: request.query,
        categoryIds: request.categoryIds,
        minPriceMinor: request.minPriceMinor,
        maxPriceMinor: request.maxPriceMinor,
        inStockOnly: request.inStockOnly,
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      const ids = result.hits.map((hit) => hit.productId);
      const degradation = new DegradationTracker();
      const live = ids.length === 0 ? { products: [] } : await degradation.optional('live_stock', () => products.batchGetProducts({ ids }, optional));
      const liveById = live ? byId(live.products) : undefined;
      return {
        items: result.hits.map((hit) => toSearchItem(hit, liveById)),
        totalSize: result.totalSize,
        categories: result.facets?.categories.map(({ categoryId, count }) => ({ categoryId, count })) ?? [],
        priceRanges: result.facets?.priceRanges.map(({ key, count }) => ({ key, count })) ?? [],
        nextPageToken: result.nextPageToken,
        degradation: degradation.toMessage(),
      };
    },

    async getProductPage(request, context) {
      await principalOf(context);
      if (!request.productId) throw invalidArgument('product_id', 'must not be empty');
      const { product } = await products.getProduct({ id: request.productId });
      if (!product) throw notFound('product', request.productId);
      const degradation = new DegradationTracker();
      const related = await degradation.optional('related_products', () => search.searchProducts({ categoryIds: [product.categoryId], pageSize: 9 }, optional));
      return {
        product: toProductView(product),
        related: (related?.hits ?? []).filter((hit) => hit.productId !== product.id).slice(0, 8).map((hit) => toSearchItem(hit, undefined)),
        degradation: degradation.toMessage(),
      };
    },

    async getCart(_request, context) {
      const user = requireUser(await principalOf(context));
      return (await cartWithDetails(cart.getCart({ userId: user.userId }))).answer;
    },

    async addCartItem(request, context) {
      const user = requireUser(await principalOf(context));
      if (!request.productId) throw invalidArgument('product_id', 'must not be empty');
      const { known, answer } = await cartWithDetails(cart.addItem({ userId: user.userId, productId: request.productId, quantity: request.quantity }));
      if (known && !known.has(request.productId)) {
        await cart.removeItem({ userId: user.userId, productId: request.productId });
        throw notFound('product', request.productId);
      }
      return answer;
    },

    async updateCartItem(request, context) {
      const user = requireUser(await principalOf(context));
      return (await cartWithDetails(cart.updateItemQuantity({ userId: user.userId, productId: request.productId, quantity: request.quantity }))).answer;
    },

    async checkout(request, context) {
      const user = requireUser(await principalOf(context));
      if (!request.idempotencyKey) throw invalidArgument('idempotency_key', 'must not be empty');
      const lines = request.shippingAddressLines;
      if (lines.length < 1 || lines.length > 3 || !lines[0]?.trim()) throw invalidArgument('shipping_address_lines', 'give 1 to 3 lines, the first not empty');
      const { cart: userCart } = await cart.getCart({ userId: user.userId });
      const items = (userCart?.lines ?? []).map((line) => ({ productId: line.productId, quantity: line.quantity }));
      const { order } = await orders
        .createOrder({
          idempotencyKey: `${user.userId}:${request.idempotencyKey}`,
          customerId: user.userId,
          items,
          shippingAddress: { line1: lines[0], line2: lines[1] ?? '', line3: lines[2] ?? '' },
        })
        .catch((error: unknown) => {
          if (items.length === 0 && error instanceof ConnectError && error.code === Code.InvalidArgument) throw failedPrecondition('the cart is empty');
          throw error;
        });
      if (!order) throw failedPrecondition('the order could not be placed');
      return { order: toOrderView(order) };
    },

    async getOrderDetails(request, context) {
      const user = requireUser(await principalOf(context));
      if (!request.orderId) throw invalidArgument('order_id', 'must not be empty');
      const { order } = await orders.getOrder({ id: request.orderId });
      if (!order) throw notFound('order', request.orderId);
      requireOwner(user, order.customerId, `order ${JSON.stringify(request.orderId)}`);
      const degradation = new DegradationTracker();
      const [availability, customer] = await Promise.all([
        degradation.optional('availability', () => products.batchGetProducts({ ids: order.items.map((item) => item.productId) }, optional)),
        degradation.optional('customer', () => users.getUser({ id: order.customerId }, optional)),
      ]);
      return {
        order: toOrderView(order, availability ? byId(availability.products) : undefined),
        customer: customer?.user ? toCustomerView(customer.user) : undefined,
        degradation: degradation.toMessage(),
      };
    },

    async listMyOrders(request, context) {
      const user = requireUser(await principalOf(context));
      const page = await orders.listOrders({ customerId: user.userId, pageSize: request.pageSize, pageToken: request.pageToken });
      return { orders: page.orders.map((order) => toOrderView(order)), nextPageToken: page.nextPageToken };
    },

    async createProduct(request, context) {
      requireAdmin(await principalOf(context));
      const { product } = await products.createProduct({
        sku: request.sku,
        name: request.name,
        description: request.description,
        categoryId: request.categoryId,
        price: request.price,
        stock: request.stock,
      });
      return { product: product ? toProductView(product) : undefined };
    },

    async updateProductPrice(request, context) {
      requireAdmin(await principalOf(context));
      if (!request.productId) throw invalidArgument('product_id', 'must not be empty');
      const { product } = await products.updateProduct({
        product: create(ProductSchema, { id: request.productId, price: request.price }),
        updateMask: create(FieldMaskSchema, { paths: ['price'] }),
      });
      return { product: product ? toProductView(product) : undefined };
    },
  };
}
