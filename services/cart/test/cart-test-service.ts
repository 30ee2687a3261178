import { Code } from '@connectrpc/connect';
import { expect } from '@jest/globals';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { createServiceClient, type RunningServer } from '@shop/runtime';
import { expectConnectError, testStores } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startCart } from '../src/main.js';

/** The cart service started in-process on port 0 against the test stores, with a client. */
export interface TestCartService {
  readonly server: RunningServer;
  readonly client: ReturnType<typeof cartClient>;
}

/** A gRPC client of the cart service at the address. */
export function cartClient(address: string) {
  return createServiceClient(CartService, { name: 'cart', address, defaultTimeoutMs: 10_000 });
}

/** Starts the service in-process with the test stores and the given extra variables. */
export async function startTestCartService(namespace: string, env: Record<string, string> = {}): Promise<TestCartService> {
  const stores = testStores();
  const config = loadConfig({ CART_PORT: '0', CART_REDIS_URL: stores.cartRedisUrl, NATS_URL: stores.natsUrl, EVENTS_NAMESPACE: namespace, LOG_LEVEL: 'silent', ...env });
  const server = await startCart(config, { healthIntervalMs: 200 });
  return { server, client: cartClient(server.address) };
}

/** Asserts that the call failed with INVALID_ARGUMENT naming the field (in the message and the field metadata). */
export async function expectInvalidArgument(call: Promise<unknown>, field: string): Promise<void> {
  const error = await expectConnectError(call, Code.InvalidArgument, field);
  expect(error.metadata.get('field')).toBe(field);
}

/** The cart's lines as [product_id, quantity] pairs. */
export function linesOf(response: { cart?: { lines: { productId: string; quantity: number }[] } }): [string, number][] {
  return (response.cart?.lines ?? []).map((line) => [line.productId, line.quantity]);
}
