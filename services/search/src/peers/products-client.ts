import type { Client } from '@connectrpc/connect';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { createServiceClient } from '@shop/runtime';

/** A client of the products API at the address. */
export function productsClient(address: string, defaultTimeoutMs?: number): Client<typeof ProductService> {
  return createServiceClient(ProductService, { name: 'products', address, ...(defaultTimeoutMs ? { defaultTimeoutMs } : {}) });
}
