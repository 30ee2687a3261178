import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { Code, createClient, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { eventually, expectConnectError } from '@shop/testkit';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { CartSchema } from '@shop/gen/cart/v1/cart_pb';
import { bindService, createLogger, grpcTransport, startGrpcServer, type RunningServer } from '../src/index.js';

/** The cart contract answering at once, except user "wait", answered once the handler's signal aborts (or after 20 s). */
function recordingImpl(seen: Map<string, HandlerContext>): ServiceImpl<typeof CartService> {
  const cart = (userId: string) => ({ cart: create(CartSchema, { userId }) });
  return {
    async getCart({ userId }, context) {
      seen.set(userId, context);
      if (userId.startsWith('wait')) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 20_000);
          context.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()));
        });
      }
      return cart(userId);
    },
    addItem: ({ userId }) => cart(userId),
    updateItemQuantity: ({ userId }) => cart(userId),
    removeItem: ({ userId }) => cart(userId),
    clearCart: ({ userId }) => cart(userId),
  };
}

describe("a unary handler's context", () => {
  const seen = new Map<string, HandlerContext>();
  let server: RunningServer;
  let client: ReturnType<typeof createClient<typeof CartService>>;

  beforeAll(async () => {
    server = await startGrpcServer({ services: [bindService(CartService, recordingImpl(seen))], logger: createLogger('handler-context-test', 'silent'), host: '127.0.0.1', port: 0 });
    client = createClient(CartService, grpcTransport(server.address));
  });
  afterAll(() => server.shutdown());

  it('carries the request headers and the time left, and its signal aborts once the call is answered', async () => {
    await client.getCart({ userId: 'answered' }, { headers: { 'x-probe': 'seen' }, timeoutMs: 30_000 });
    const context = seen.get('answered')!;
    expect(context.requestHeader.get('x-probe')).toBe('seen');
    expect(context.timeoutMs()).toBeGreaterThan(0);
    expect(context.timeoutMs()).toBeLessThanOrEqual(30_000);
    expect(context.method.name).toBe('GetCart');
    await eventually(() => context.signal.aborted, { description: 'the signal aborts after the answer', timeoutMs: 5000 });
  });

  it("aborts its signal when the caller's deadline passes, and the caller gets DEADLINE_EXCEEDED", async () => {
    await expectConnectError(client.getCart({ userId: 'wait-deadline' }, { timeoutMs: 300 }), Code.DeadlineExceeded);
    await eventually(() => seen.get('wait-deadline')?.signal.aborted, { description: 'the signal aborts at the deadline', timeoutMs: 10_000 });
  });

  it('aborts its signal when the caller cancels the call', async () => {
    const cancel = new AbortController();
    const call = client.getCart({ userId: 'wait-cancel' }, { signal: cancel.signal });
    await eventually(() => seen.has('wait-cancel'), { description: 'the call reaches the handler', timeoutMs: 10_000 });
    cancel.abort();
    await expectConnectError(call, Code.Canceled);
    await eventually(() => seen.get('wait-cancel')!.signal.aborted, { description: 'the signal aborts on cancel', timeoutMs: 10_000 });
  });
});

describe('response headers and trailers a handler sets', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const cart = (userId: string) => ({ cart: create(CartSchema, { userId }) });
    const impl: ServiceImpl<typeof CartService> = {
      getCart({ userId }, context) {
        if (userId === 'annotated') {
          context.responseHeader.set('x-served-by', 'cart-test');
          context.responseTrailer.set('x-items', '0');
        }
        return cart(userId);
      },
      addItem: ({ userId }) => cart(userId),
      updateItemQuantity: ({ userId }) => cart(userId),
      removeItem: ({ userId }) => cart(userId),
      clearCart: ({ userId }) => cart(userId),
    };
    server = await startGrpcServer({ services: [bindService(CartService, impl)], logger: createLogger('handler-context-test', 'silent'), host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.shutdown());

  it('reach the caller when set, and a call that sets none sends none', async () => {
    const client = createClient(CartService, grpcTransport(server.address));
    const seen: Array<{ header?: Headers; trailer?: Headers }> = [{}, {}];
    await client.getCart({ userId: 'annotated' }, { onHeader: (header) => (seen[0]!.header = header), onTrailer: (trailer) => (seen[0]!.trailer = trailer) });
    await client.getCart({ userId: 'plain' }, { onHeader: (header) => (seen[1]!.header = header), onTrailer: (trailer) => (seen[1]!.trailer = trailer) });
    expect(seen[0]!.header?.get('x-served-by')).toBe('cart-test');
    expect(seen[0]!.trailer?.get('x-items')).toBe('0');
    expect(seen[1]!.header?.get('x-served-by')).toBeNull();
    expect(seen[1]!.trailer?.get('x-items')).toBeNull();
  });
});
