import { createClient, type Client } from '@connectrpc/connect';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { grpcTransport } from '@shop/runtime';

/** Plain gRPC clients (no retries, no circuit breaker), so every slow or failed call shows in the figures. */
export interface BenchClients {
  readonly users: Client<typeof UserService>;
  readonly products: Client<typeof ProductService>;
}

/** Creates the clients for the services' addresses. */
export function benchClients(usersAddress: string, productsAddress: string): BenchClients {
  return {
    users: createClient(UserService, grpcTransport(usersAddress)),
    products: createClient(ProductService, grpcTransport(productsAddress)),
  };
}
