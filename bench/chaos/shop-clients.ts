import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import { setTimeout as sleep } from 'node:timers/promises';
import { grpcTransport } from '@shop/runtime';
import { serviceAddress, type SystemPorts } from '@shop/launcher';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';

/** Plain clients (no retries, no breaker) of the gateway and of each owner's API, as a buyer and an auditor call them. */
export interface ShopClients {
  readonly gateway: Client<typeof StorefrontService>;
  readonly products: Client<typeof ProductService>;
  readonly users: Client<typeof UserService>;
  readonly orders: Client<typeof OrderService>;
  readonly cart: Client<typeof CartService>;
  readonly search: Client<typeof SearchService>;
}

/** Clients of the system on these ports. */
export function shopClients(ports: SystemPorts): ShopClients {
  return {
    gateway: createClient(StorefrontService, grpcTransport(serviceAddress(ports, 'gateway'))),
    products: createClient(ProductService, grpcTransport(serviceAddress(ports, 'products'))),
    users: createClient(UserService, grpcTransport(serviceAddress(ports, 'users'))),
    orders: createClient(OrderService, grpcTransport(serviceAddress(ports, 'orders'))),
    cart: createClient(CartService, grpcTransport(serviceAddress(ports, 'cart'))),
    search: createClient(SearchService, grpcTransport(serviceAddress(ports, 'search'))),
  };
}

const TRANSIENT = [Code.Unavailable, Code.DeadlineExceeded, Code.Unknown, Code.Internal, Code.Aborted, Code.Canceled];

/**
 * Whether a failed call may succeed when repeated unchanged (the callee was down or restarting). These callers never
 * cancel a call themselves, so CANCELED is a connection the killed callee cut off mid-call.
 */
export function isTransient(error: unknown): boolean {
  return error instanceof ConnectError ? TRANSIENT.includes(error.code) : true;
}

/** Repeats the call while it fails transiently, with a growing pause, until it succeeds or the time is up. */
export async function untilAnswered<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 100; ; pause = Math.min(pause * 2, 1_000)) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error) || Date.now() + pause > deadline) throw error;
      await sleep(pause);
    }
  }
}
