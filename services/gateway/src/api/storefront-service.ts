import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { invalidArgument } from '@shop/runtime/errors';
import type { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import type { Authenticator } from '../auth/authenticator.js';
import { requireAdmin, requireUser } from '../domain/principal.js';
import type { Storefront } from '../domain/storefront.js';
import type { CartView, Composed } from '../domain/views.js';
import { salesReportMessage } from './sales-report.js';
import { cartViewMessage, customerViewMessage, degradationMessage, orderViewMessage, productViewMessage, searchItemMessage } from './views.js';

/**
 * shop.storefront.v1.StorefrontService: authenticates the caller, validates the request, asks the storefront's
 * composition and maps its answer to messages.
 */
export function storefrontService(storefront: Storefront, auth: Authenticator): ServiceImpl<typeof StorefrontService> {
  const principalOf = (context: HandlerContext) => auth.principalOf(context.requestHeader.get('authorization'));
  const cartAnswer = ({ cart, degradation }: Composed<{ cart: CartView }>) => ({ cart: cartViewMessage(cart), degradation: degradationMessage(degradation) });

  return {
    async searchProducts(request, context) {
      await principalOf(context);
      const { items, degradation, ...page } = await storefront.search({
        query: request.query,
        categoryIds: request.categoryIds,
        minPriceMinor: request.minPriceMinor,
        maxPriceMinor: request.maxPriceMinor,
        inStockOnly: request.inStockOnly,
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { ...page, categories: [...page.categories], priceRanges: [...page.priceRanges], items: items.map(searchItemMessage), degradation: degradationMessage(degradation) };
    },

    async getProductPage(request, context) {
      await principalOf(context);
      if (!request.productId) throw invalidArgument('product_id', 'must not be empty');
      const page = await storefront.productPage(request.productId);
      return { product: productViewMessage(page.product), related: page.related.map(searchItemMessage), degradation: degradationMessage(page.degradation) };
    },

    async getCart(_request, context) {
      const user = requireUser(await principalOf(context));
      return cartAnswer(await storefront.cart(user.userId));
    },

    async addCartItem(request, context) {
      const user = requireUser(await principalOf(context));
      if (!request.productId) throw invalidArgument('product_id', 'must not be empty');
      return cartAnswer(await storefront.addToCart(user.userId, request.productId, request.quantity));
    },

    async updateCartItem(request, context) {
      const user = requireUser(await principalOf(context));
      return cartAnswer(await storefront.changeCartQuantity(user.userId, request.productId, request.quantity));
    },

    async checkout(request, context) {
      const user = requireUser(await principalOf(context));
      if (!request.idempotencyKey) throw invalidArgument('idempotency_key', 'must not be empty');
      const lines = request.shippingAddressLines;
      if (lines.length < 1 || lines.length > 3 || !lines[0]?.trim()) throw invalidArgument('shipping_address_lines', 'give 1 to 3 lines, the first not empty');
      return { order: orderViewMessage(await storefront.checkout(user.userId, request.idempotencyKey, lines)) };
    },

    async getOrderDetails(request, context) {
      const user = requireUser(await principalOf(context));
      if (!request.orderId) throw invalidArgument('order_id', 'must not be empty');
      const { order, customer, degradation } = await storefront.orderDetails(user, request.orderId);
      return { order: orderViewMessage(order), customer: customer ? customerViewMessage(customer) : undefined, degradation: degradationMessage(degradation) };
    },

    async listMyOrders(request, context) {
      const user = requireUser(await principalOf(context));
      const page = await storefront.myOrders(user.userId, request.pageSize, request.pageToken);
      return { orders: page.orders.map(orderViewMessage), nextPageToken: page.nextPageToken };
    },

    async createProduct(request, context) {
      requireAdmin(await principalOf(context));
      const { sku, name, description, categoryId, stock } = request;
      const product = await storefront.createProduct({ sku, name, description, categoryId, stock, ...(request.price ? { price: request.price } : {}) });
      return { product: product ? productViewMessage(product) : undefined };
    },

    async updateProductPrice(request, context) {
      requireAdmin(await principalOf(context));
      if (!request.productId) throw invalidArgument('product_id', 'must not be empty');
      const product = await storefront.updateProductPrice(request.productId, request.price);
      return { product: product ? productViewMessage(product) : undefined };
    },

    async getSalesReport(request, context) {
      requireAdmin(await principalOf(context));
      const start = request.startTime && timestampDate(request.startTime);
      const end = request.endTime && timestampDate(request.endTime);
      return salesReportMessage(await storefront.salesReport(start, end, request.topProductsSize));
    },
  };
}
