import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, ConnectError, createRouterTransport } from '@connectrpc/connect';
import { create } from '@bufbuild/protobuf';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { CartSchema } from '@shop/gen/cart/v1/cart_pb';
import { bindService, createLogger, createServiceClient, DomainError, startGrpcServer, type RunningServer } from '../src/index.js';
import { eventually } from '@shop/testkit';
import { cartFixtureImpl } from './fixtures/cart-fixture-service.js';

describe('service clients', () => {
  let downstream: RunningServer;
  let upstream: RunningServer;

  beforeAll(async () => {
    downstream = await startGrpcServer({ services: [bindService(CartService, cartFixtureImpl())], logger: createLogger('down', 'silent'), host: '127.0.0.1', port: 0 });
    const downstreamClient = createServiceClient(CartService, { name: 'downstream', address: downstream.address, defaultTimeoutMs: 60_000 });
    const relay = { ...cartFixtureImpl(), getCart: (request: { userId: string }) => downstreamClient.getCart({ userId: request.userId }) };
    upstream = await startGrpcServer({ services: [bindService(CartService, relay)], logger: createLogger('up', 'silent'), host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await upstream.shutdown();
    await downstream.shutdown();
  });

  it('propagates the caller deadline to the calls a handler makes', async () => {
    const client = createServiceClient(CartService, { name: 'upstream', address: upstream.address });
    const { cart } = await client.getCart({ userId: 'deadline' }, { timeoutMs: 800 });
    const remainingDownstream = Number(cart?.userId.split(':')[1]);
    expect(remainingDownstream).toBeGreaterThan(0);
    expect(remainingDownstream).toBeLessThanOrEqual(800);
  });

  it('reports a dependency that does not answer as UNAVAILABLE naming it', async () => {
    const client = createServiceClient(CartService, { name: 'products', address: '127.0.0.1:1', defaultTimeoutMs: 500 });
    const error = await client.getCart({ userId: 'u' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('products unavailable') });
  });

  it("answers a dependency's INTERNAL or UNKNOWN failure as UNAVAILABLE naming the dependency, and passes its refusals on", async () => {
    const transport = createRouterTransport(({ service }) => {
      service(CartService, {
        ...cartFixtureImpl(),
        getCart: ({ userId }) => {
          throw new ConnectError('internal error', userId === 'unknown' ? Code.Unknown : Code.Internal);
        },
        addItem: () => {
          throw new ConnectError('quantity: must be from 1 to 99', Code.InvalidArgument);
        },
      });
    });
    const client = createServiceClient(CartService, { name: 'cart', transport, resilience: { retries: 0, breakerThreshold: 100, breakerHalfOpenAfterMs: 1000 } });
    for (const userId of ['internal', 'unknown']) {
      await expect(client.getCart({ userId })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'cart unavailable: it failed: internal error' });
    }
    await expect(client.addItem({ userId: 'u', productId: 'p', quantity: 0 })).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it('retries an idempotent read that failed with UNAVAILABLE', async () => {
    let attempts = 0;
    const transport = createRouterTransport(({ service }) => {
      service(CartService, {
        ...cartFixtureImpl(),
        getCart: ({ userId }) => {
          attempts += 1;
          if (attempts < 3) throw new ConnectError('try again', Code.Unavailable);
          return { cart: create(CartSchema, { userId }) };
        },
      });
    });
    const client = createServiceClient(CartService, { name: 'flaky', transport });
    await expect(client.getCart({ userId: 'u' })).resolves.toMatchObject({ cart: { userId: 'u' } });
    expect(attempts).toBe(3);
  });

  it('opens the circuit after repeated failures and stops calling the dependency', async () => {
    let calls = 0;
    const transport = createRouterTransport(({ service }) => {
      service(CartService, {
        ...cartFixtureImpl(),
        addItem: () => {
          calls += 1;
          throw new ConnectError('down', Code.Unavailable);
        },
      });
    });
    const client = createServiceClient(CartService, {
      name: 'cart',
      transport,
      resilience: { retries: 0, breakerThreshold: 3, breakerFirstTrialAfterMs: 60_000, breakerHalfOpenAfterMs: 60_000 },
    });
    for (let i = 0; i < 5; i += 1) {
      await expect(client.addItem({ userId: 'u', productId: 'p', quantity: 1 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    }
    expect(calls).toBe(3);
    await expect(client.addItem({ userId: 'u', productId: 'p', quantity: 1 })).rejects.toThrow('cart unavailable: circuit open');
  });

  it('tries the dependency again soon after the circuit opens, and closes it once the dependency answers', async () => {
    let down = true;
    const transport = createRouterTransport(({ service }) => {
      service(CartService, {
        ...cartFixtureImpl(),
        clearCart: (request, context) => {
          if (down) throw new ConnectError('down', Code.Unavailable);
          return cartFixtureImpl().clearCart(request, context);
        },
      });
    });
    const client = createServiceClient(CartService, {
      name: 'cart',
      transport,
      resilience: { retries: 0, breakerThreshold: 2, breakerFirstTrialAfterMs: 50, breakerHalfOpenAfterMs: 600_000 },
    });
    for (let i = 0; i < 3; i += 1) {
      await expect(client.clearCart({ userId: 'u' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    }
    await expect(client.clearCart({ userId: 'u' })).rejects.toThrow('cart unavailable: circuit open');
    down = false;
    const cart = await eventually(
      () => client.clearCart({ userId: 'u' }).catch(() => undefined),
      { description: 'a trial call long before the longest half-open delay', timeoutMs: 30_000, intervalMs: 20 },
    );
    expect(cart).toBeDefined();
  });

  it("does not let callers whose own deadline ran out open the circuit, while expiries of the client's whole budget do", async () => {
    const resilience = { retries: 0, breakerThreshold: 2, breakerFirstTrialAfterMs: 600_000, breakerHalfOpenAfterMs: 600_000 };
    const downstreamClient = createServiceClient(CartService, { name: 'downstream', address: downstream.address, defaultTimeoutMs: 60_000, resilience });
    const relay = await startGrpcServer({
      services: [bindService(CartService, { ...cartFixtureImpl(), getCart: (request: { userId: string }) => downstreamClient.getCart({ userId: request.userId }) })],
      logger: createLogger('relay', 'silent'),
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const callers = createServiceClient(CartService, { name: 'relay', address: relay.address, resilience: { ...resilience, breakerThreshold: 100 } });
      for (let i = 0; i < 4; i += 1) {
        await expect(callers.getCart({ userId: 'slow' }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      }
      await expect(callers.getCart({ userId: 'after-short-callers' }, { timeoutMs: 30_000 })).resolves.toMatchObject({ cart: { userId: 'after-short-callers' } });

      const ownBudget = createServiceClient(CartService, { name: 'downstream', address: downstream.address, defaultTimeoutMs: 200, resilience });
      for (let i = 0; i < 2; i += 1) {
        await expect(ownBudget.getCart({ userId: 'slow' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('deadline exceeded') });
      }
      await expect(ownBudget.getCart({ userId: 'u' })).rejects.toThrow('downstream unavailable: circuit open');
    } finally {
      await relay.shutdown();
    }
  });

  it('does not let timeouts shorter than its budget that a caller chose open the circuit, and keeps them within the caller\'s deadline', async () => {
    const resilience = { retries: 0, breakerThreshold: 2, breakerFirstTrialAfterMs: 600_000, breakerHalfOpenAfterMs: 600_000 };
    const client = createServiceClient(CartService, { name: 'downstream', address: downstream.address, defaultTimeoutMs: 60_000, resilience });
    for (let i = 0; i < 3; i += 1) {
      await expect(client.getCart({ userId: 'slow' }, { timeoutMs: 200 })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: 'downstream unavailable: deadline exceeded (the caller allowed it 200 ms)',
      });
    }
    await expect(client.getCart({ userId: 'after-short-timeouts' })).resolves.toMatchObject({ cart: { userId: 'after-short-timeouts' } });

    const relay = await startGrpcServer({
      services: [bindService(CartService, { ...cartFixtureImpl(), getCart: () => client.getCart({ userId: 'deadline' }, { timeoutMs: 30_000 }) })],
      logger: createLogger('relay', 'silent'),
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const { cart } = await createServiceClient(CartService, { name: 'relay', address: relay.address }).getCart({ userId: 'u' }, { timeoutMs: 800 });
      const remainingDownstream = Number(cart?.userId.split(':')[1]);
      expect(remainingDownstream).toBeGreaterThan(0);
      expect(remainingDownstream).toBeLessThanOrEqual(800);
    } finally {
      await relay.shutdown();
    }
  });

  it('answers a call its peer cut off mid-call as UNAVAILABLE naming the peer, and retries it when idempotent', async () => {
    let calls = 0;
    const transport = createRouterTransport(({ service }) => {
      service(CartService, {
        ...cartFixtureImpl(),
        getCart: () => {
          calls += 1;
          throw new ConnectError('http/2 stream closed with error code CANCEL (0x8)', Code.Canceled);
        },
        clearCart: () => {
          throw new ConnectError('connection aborted', Code.Canceled);
        },
      });
    });
    const client = createServiceClient(CartService, { name: 'cart', transport, resilience: { retries: 2, breakerThreshold: 100, breakerHalfOpenAfterMs: 1000 } });
    await expect(client.getCart({ userId: 'u' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('cart unavailable: connection lost') });
    expect(calls).toBe(3);
    await expect(client.clearCart({ userId: 'u' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('cart unavailable') });
  });

  it('passes on a cancellation the caller asked for', async () => {
    const controller = new AbortController();
    const transport = createRouterTransport(({ service }) => {
      service(CartService, {
        ...cartFixtureImpl(),
        clearCart: () => {
          controller.abort();
          throw new ConnectError('cancelled by the caller', Code.Canceled);
        },
      });
    });
    const client = createServiceClient(CartService, { name: 'cart', transport });
    await expect(client.clearCart({ userId: 'u' }, { signal: controller.signal })).rejects.toMatchObject({ code: Code.Canceled });
  });
});
