import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:http2';
import { create } from '@bufbuild/protobuf';
import { Code, createClient } from '@connectrpc/connect';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { ClearCartRequestSchema } from '@shop/gen/cart/v1/cart_service_pb';
import { CreateOrderRequestSchema } from '@shop/gen/order/v1/order_service_pb';
import { expectConnectError } from '@shop/testkit';
import {
  bindService,
  boundedStatusMessage,
  CallerRateLimiter,
  checkFieldBounds,
  createLogger,
  DomainError,
  grpcTransport,
  startConnectServer,
  startGrpcServer,
  type RunningConnectServer,
  type RunningServer,
} from '../src/index.js';
import { rawConnectCall, rawGrpcCall } from '../src/testing/index.js';
import { cartFixtureImpl } from './fixtures/cart-fixture-service.js';

describe('status messages', () => {
  it('are cut to 200 characters with control characters escaped and no lone surrogate', () => {
    const message = boundedStatusMessage(`invalid id: ${'x'.repeat(300_000)}`);
    expect(message.length).toBeLessThanOrEqual(200);
    expect(message.endsWith('…')).toBe(true);
    expect(boundedStatusMessage('bad\u0000value\r\nnext\ud800')).toBe('bad\\u0000value\\u000d\\u000anext\ufffd');
    expect(boundedStatusMessage('plain message')).toBe('plain message');
  });
});

describe('field bounds', () => {
  const fieldOf = (run: () => void) => {
    try {
      run();
      return 'admitted';
    } catch (error) {
      return error instanceof DomainError ? `${error.code} ${error.field}` : String(error);
    }
  };

  it('name the path of the first field out of bounds, nested messages and list elements included', () => {
    const order = (init: object) => () => checkFieldBounds(CreateOrderRequestSchema, create(CreateOrderRequestSchema, init));
    expect(fieldOf(order({ customerId: 'c1', items: [{ productId: 'p1', quantity: 1 }] }))).toBe('admitted');
    expect(fieldOf(order({ customerId: 'x'.repeat(257) }))).toBe('INVALID_ARGUMENT customer_id');
    expect(fieldOf(order({ items: [{ productId: 'p1' }, { productId: 'bad\nid' }] }))).toBe('INVALID_ARGUMENT items[1].product_id');
    expect(fieldOf(order({ shippingAddress: { line1: 'y'.repeat(513) } }))).toBe('INVALID_ARGUMENT shipping_address.line1');
    expect(fieldOf(order({ idempotencyKey: 'k'.repeat(1024) }))).toBe('admitted');
    const clear = (productIds: string[]) => () => checkFieldBounds(ClearCartRequestSchema, create(ClearCartRequestSchema, { userId: 'u', productIds }));
    expect(fieldOf(clear(Array.from({ length: 1000 }, () => 'p')))).toBe('admitted');
    expect(fieldOf(clear(Array.from({ length: 1001 }, () => 'p')))).toBe('INVALID_ARGUMENT product_ids');
  });
});

describe('per-caller rate limits', () => {
  it('refuse a caller past its burst with RESOURCE_EXHAUSTED and leave other callers their own budget', async () => {
    const limiter = new CallerRateLimiter({ perUser: { perSecond: 1, burst: 3 }, perAddress: { perSecond: 1000, burst: 1000 } });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => limiter.admit({ userId: 'greedy', address: '10.0.0.1' }).then(() => 'admitted', (error: DomainError) => error.code)));
    expect(outcomes.filter((outcome) => outcome === 'RESOURCE_EXHAUSTED').length).toBeGreaterThanOrEqual(5);
    await expect(limiter.admit({ userId: 'modest', address: '10.0.0.1' })).resolves.toBeUndefined();
  });
});

describe('a server given hostile requests', () => {
  let grpc: RunningServer;
  let http: RunningConnectServer;
  const logger = createLogger('limits-test', 'silent');

  beforeAll(async () => {
    const services = [bindService(CartService, cartFixtureImpl())];
    grpc = await startGrpcServer({ services, logger, host: '127.0.0.1', port: 0, protection: { maxCallMs: 500 } });
    http = await startConnectServer({ services, logger, host: '127.0.0.1', port: 0, protection: { maxCallMs: 500 } });
  });
  afterAll(async () => {
    await grpc.shutdown();
    await http.close();
  });

  it('answers an undecodable gRPC frame with INVALID_ARGUMENT naming the request type', async () => {
    const session = connect(`http://${grpc.address}`);
    try {
      const outcome = await rawGrpcCall(session, '/shop.cart.v1.CartService/GetCart', Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f), 5000);
      expect(outcome.code).toBe('InvalidArgument');
      expect(outcome.message).toMatch(/cannot be decoded as shop\.cart\.v1\.GetCartRequest/);
    } finally {
      session.close();
    }
  });

  it('answers undecodable Connect bodies, JSON and binary, with INVALID_ARGUMENT', async () => {
    const url = `${http.url}/shop.cart.v1.CartService/GetCart`;
    expect((await rawConnectCall(url, '{', 'application/json', 5000)).code).toBe('InvalidArgument');
    expect((await rawConnectCall(url, Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f), 'application/proto', 5000)).code).toBe('InvalidArgument');
    expect((await rawConnectCall(url, Uint8Array.of(0, 0, 0, 0, 2, 0x0a, 0xff), 'application/grpc-web+proto', 5000)).code).toBe('InvalidArgument');
  });

  it('refuses an oversized id before the handler runs, with a short message, over gRPC and Connect', async () => {
    const client = createClient(CartService, grpcTransport(grpc.address));
    const error = await expectConnectError(client.getCart({ userId: `${'x'.repeat(300_000)}\r\n` }), Code.InvalidArgument, /invalid user_id: must be at most 256 characters/);
    expect(error.rawMessage.length).toBeLessThanOrEqual(200);
    const reply = await rawConnectCall(`${http.url}/shop.cart.v1.CartService/GetCart`, JSON.stringify({ userId: 'x'.repeat(300) }), 'application/json', 5000);
    expect(reply).toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(/user_id/) });
  });

  it('ends a call that runs past the capped deadline with DEADLINE_EXCEEDED, over gRPC and Connect', async () => {
    const client = createClient(CartService, grpcTransport(grpc.address));
    await expectConnectError(client.getCart({ userId: 'slow' }), Code.DeadlineExceeded);
    expect((await rawConnectCall(`${http.url}/shop.cart.v1.CartService/GetCart`, '{"userId":"slow"}', 'application/json', 10_000)).code).toBe('DeadlineExceeded');
  });
});
