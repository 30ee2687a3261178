import { createClient, type Client } from '@connectrpc/connect';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { grpcTransport } from '@shop/runtime';

/** Plain gRPC clients (no retries, no circuit breaker), so every slow or failed call shows in the figures. */
export interface BenchClients {
  readonly users: Client<typeof UserService>;
  readonly products: Client<typeof ProductService>;
  readonly orders: Client<typeof OrderService>;
}

/** Creates the clients for the services' addresses. */
export function benchClients(addresses: { users: string; products: string; orders: string }): BenchClients {
  return {
    users: createClient(UserService, grpcTransport(addresses.users)),
    products: createClient(ProductService, grpcTransport(addresses.products)),
    orders: createClient(OrderService, grpcTransport(addresses.orders)),
  };
}
