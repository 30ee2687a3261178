import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { bindService, createLogger, startConnectServer, type RunningConnectServer } from '../src/index.js';
import { cartFixtureImpl } from './fixtures/cart-fixture-service.js';

async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a service served over the Connect protocol', () => {
  let server: RunningConnectServer;

  beforeAll(async () => {
    server = await startConnectServer({ services: [bindService(CartService, cartFixtureImpl())], host: '127.0.0.1', port: 0, logger: createLogger('connect-test', 'silent') });
  });
  afterAll(() => server.close());

  it('answers a plain HTTP POST with JSON', async () => {
    const reply = await postJson(`${server.url}/shop.cart.v1.CartService/GetCart`, { userId: 'u1' });
    expect(reply).toEqual({ status: 200, body: { cart: { userId: 'u1' } } });
  });

  it('maps typed errors to Connect error codes and HTTP statuses', async () => {
    const reply = await postJson(`${server.url}/shop.cart.v1.CartService/AddItem`, { userId: 'u1', productId: 'p', quantity: 500 });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'invalid_argument', message: 'invalid quantity: must be from 1 to 99, got 500' });
  });

  it('hides unexpected errors behind INTERNAL', async () => {
    const reply = await postJson(`${server.url}/shop.cart.v1.CartService/GetCart`, { userId: 'crash' });
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ code: 'internal', message: 'internal error' });
  });

  it.each([
    ['gzip', gzipSync(Buffer.from('{"userId":"u1"}')), 200, undefined],
    ['br', brotliCompressSync(Buffer.from('{"userId":"u1"}')), 200, undefined],
    ['gzip', Buffer.from('not gzip at all'), 400, 'invalid_argument'],
    ['gzip', gzipSync(Buffer.from('{"userId":"u1"}')).subarray(0, 12), 400, 'invalid_argument'],
    ['br', Buffer.from('not brotli'), 400, 'invalid_argument'],
    ['gzip', gzipSync(Buffer.alloc(8 * 1024 * 1024, 32)), 429, 'resource_exhausted'],
    ['deflate', Buffer.from('{"userId":"u1"}'), 501, 'unimplemented'],
  ])('answers a %s-encoded body (case %#) as the caller\'s mistake, never INTERNAL', async (encoding, body, status, code) => {
    const response = await fetch(`${server.url}/shop.cart.v1.CartService/GetCart`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });
    const reply = (await response.json()) as Record<string, unknown>;
    expect({ status: response.status, code: reply['code'] }).toEqual({ status, code });
  });
});
