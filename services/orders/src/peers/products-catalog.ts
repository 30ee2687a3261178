import { Code, ConnectError, type Client } from '@connectrpc/connect';
import { ReservationStatus } from '@shop/gen/product/v1/product_pb';
import type { ProductService } from '@shop/gen/product/v1/product_service_pb';
import type { Money } from '../domain/order.js';
import type { Catalog, CatalogProduct, ReservationOutcome } from '../domain/ports.js';

const refusalCodes = [Code.InvalidArgument, Code.NotFound, Code.FailedPrecondition, Code.AlreadyExists, Code.OutOfRange];

/** The products service behind the Catalog port. */
export function productsCatalog(client: Client<typeof ProductService>): Catalog {
  return {
    batchGet: async (ids) => {
      const response = await client.batchGetProducts({ ids: [...ids] });
      const products = response.products.map((product): CatalogProduct => ({ id: product.id, name: product.name, price: moneyOf(product.price), stock: product.stock }));
      return { products, missingIds: response.missingIds };
    },
    reserve: async (reservationId, items): Promise<ReservationOutcome> => {
      try {
        const { reservation } = await client.reserveStock({ reservationId, items: items.map(({ productId, quantity }) => ({ productId, quantity })) });
        return { reserved: reservation?.status === ReservationStatus.RESERVED, shortProductIds: reservation?.shortProductIds ?? [] };
      } catch (error) {
        if (isRefusal(error)) return { reserved: false, shortProductIds: [], refusal: `products refused the reservation: ${error.rawMessage}` };
        throw error;
      }
    },
    release: async (reservationId) => {
      await client.releaseStock({ reservationId }).catch((error: unknown) => {
        if (!isRefusal(error)) throw error;
      });
    },
  };
}

function isRefusal(error: unknown): error is ConnectError {
  return error instanceof ConnectError && refusalCodes.includes(error.code);
}

function moneyOf(price: { amountMinor: bigint; currencyCode: string } | undefined): Money {
  return { amountMinor: price?.amountMinor ?? 0n, currencyCode: price?.currencyCode ?? '' };
}
