import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, createClient, type Interceptor } from '@connectrpc/connect';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { eventually, expectConnectError } from '@shop/testkit';
import { bindService, createLogger, createServiceClient, grpcTransport, startGrpcServer, type RunningServer } from '../src/index.js';
import { cartFixtureImpl } from './fixtures/cart-fixture-service.js';
import { startFixture } from './fixtures/fixture-process.js';

describe('the gRPC transport of service clients', () => {
  let server: RunningServer;
  const seenHeaders: string[] = [];
  const impl = cartFixtureImpl();
  const relay = {
    ...impl,
    updateItemQuantity: (request: { userId: string }, context: { requestHeader: Headers }) => {
      seenHeaders.push(`${context.requestHeader.get('x-request-id')}|${context.requestHeader.get('traceparent') ?? ''}|${context.requestHeader.get('x-added')}`);
      return impl.updateItemQuantity(request as never, context as never);
    },
  };

  beforeAll(async () => {
    server = await startGrpcServer({ services: [bindService(CartService, relay as typeof impl)], logger: createLogger('transport', 'silent'), host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.shutdown());

  it('answers with the response message, its header and its trailer', async () => {
    const headers: Record<string, string | null> = {};
    const client = createClient(CartService, grpcTransport(server.address));
    const { cart } = await client.getCart(
      { userId: 'headers' },
      { onHeader: (header) => (headers['lsn'] = header.get('x-read-after-lsn')), onTrailer: (trailer) => (headers['servedBy'] = trailer.get('x-served-by')) },
    );
    expect(cart?.userId).toBe('headers');
    expect(headers).toEqual({ lsn: '0/16B3748', servedBy: 'fixture' });
  });

  it('sends the request headers and those its interceptors add', async () => {
    const addHeader: Interceptor = (next) => (request) => {
      request.header.set('x-added', 'by-interceptor');
      return next(request);
    };
    const client = createClient(CartService, grpcTransport(server.address, [addHeader]));
    await client.updateItemQuantity({ userId: 'u', productId: 'p', quantity: 1 }, { headers: { 'x-request-id': 'r-1' } });
    expect(seenHeaders.at(-1)).toMatch(/^r-1\|.*\|by-interceptor$/);
  });

  it('fails with the status code, message and error metadata of the server', async () => {
    const client = createClient(CartService, grpcTransport(server.address));
    const invalid = await expectConnectError(client.addItem({ userId: 'u', productId: 'p', quantity: 0 }), Code.InvalidArgument, 'must be from 1 to 99');
    expect(invalid.metadata.get('field')).toBe('quantity');
    await expectConnectError(client.getCart({ userId: 'missing' }), Code.NotFound);
  });

  it('carries the deadline to the server and fails with DEADLINE_EXCEEDED once it passes', async () => {
    const client = createClient(CartService, grpcTransport(server.address));
    const { cart } = await client.getCart({ userId: 'deadline' }, { timeoutMs: 5_000 });
    const remaining = Number(cart?.userId.split(':')[1]);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(5_000);
    await expectConnectError(client.getCart({ userId: 'slow' }, { timeoutMs: 100 }), Code.DeadlineExceeded);
  });

  it('cancels the call when the caller aborts it', async () => {
    const controller = new AbortController();
    const client = createClient(CartService, grpcTransport(server.address));
    const call = client.getCart({ userId: 'slow' }, { signal: controller.signal });
    controller.abort();
    await expectConnectError(call, Code.Canceled);
    await expectConnectError(client.getCart({ userId: 'u' }, { signal: controller.signal }), Code.Canceled);
  });

  it('answers a call whose server died mid-call as UNAVAILABLE, and the service client names the dependency', async () => {
    const fixture = startFixture({ FIXTURE_STORE_URL: 'postgres://localhost/db' });
    const address = `127.0.0.1:${await fixture.port}`;
    const killOnceCalled = async () => {
      await eventually(() => fixture.stdout().includes('SLOW_CALL_STARTED'), { description: 'the slow call to reach the server', timeoutMs: 20_000 });
      fixture.child.kill('SIGKILL');
    };
    const raw = createClient(CartService, grpcTransport(address));
    const [error] = await Promise.all([expectConnectError(raw.getCart({ userId: 'slow' }, { timeoutMs: 20_000 }), Code.Unavailable), killOnceCalled()]);
    expect(error.code).toBe(Code.Unavailable);
    const client = createServiceClient(CartService, { name: 'cart', address, defaultTimeoutMs: 2_000 });
    await expect(client.getCart({ userId: 'u' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('cart unavailable') });
  });

  it('reports a server that is not listening as UNAVAILABLE naming the dependency, and reaches it with the first call once it listens', async () => {
    const other = await startGrpcServer({ services: [bindService(CartService, cartFixtureImpl())], logger: createLogger('transport', 'silent'), host: '127.0.0.1', port: 0 });
    const address = other.address;
    await other.shutdown();
    const client = createServiceClient(CartService, { name: 'cart', address, defaultTimeoutMs: 2_000, resilience: { retries: 0, breakerThreshold: 100, breakerHalfOpenAfterMs: 1000 } });
    await expect(client.getCart({ userId: 'u' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('cart unavailable') });
    const port = Number(address.split(':').at(-1));
    const restarted = await startGrpcServer({ services: [bindService(CartService, cartFixtureImpl())], logger: createLogger('transport', 'silent'), host: '127.0.0.1', port });
    try {
      // No retry and no waiting: the failed call left a channel that connects afresh, not one waiting out its backoff.
      const { cart } = await client.getCart({ userId: 'back' });
      expect(cart?.userId).toBe('back');
    } finally {
      await restarted.shutdown();
    }
  });
});
