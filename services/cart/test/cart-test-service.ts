import { Code, ConnectError } from '@connectrpc/connect';
import { expect } from '@jest/globals';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { createServiceClient, type RunningServer } from '@shop/runtime';
import { testStores } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startCartService } from '../src/server.js';

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
  const server = await startCartService(config, { healthIntervalMs: 200 });
  return { server, client: cartClient(server.address) };
}

/** Asserts that the call failed with INVALID_ARGUMENT naming the field. */
export async function expectInvalidArgument(call: Promise<unknown>, field: string): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  expect((error as ConnectError).code).toBe(Code.InvalidArgument);
  expect((error as ConnectError).metadata.get('field')).toBe(field);
  expect((error as ConnectError).rawMessage).toContain(field);
}

/** The cart's lines as [product_id, quantity] pairs. */
export function linesOf(response: { cart?: { lines: { productId: string; quantity: number }[] } }): [string, number][] {
  return (response.cart?.lines ?? []).map((line) => [line.productId, line.quantity]);
}

/** Polls until the check returns true, failing after the bound. */
export async function waitFor(check: () => Promise<boolean>, what: string, boundMs = 15_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${boundMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
