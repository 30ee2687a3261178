import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Code, createClient } from '@connectrpc/connect';
import { expectConnectError } from '@shop/testkit';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { createServiceClient, grpcTransport, type RunningServer } from '../src/index.js';
import { startCartFixtureServer } from './fixtures/cart-fixture-service.js';
import { plainHealthCheck } from '../src/testing/index.js';

const run = promisify(execFile);
const buf = 'node_modules/.bin/buf';

describe('a service started by the runtime', () => {
  let server: RunningServer;
  let address: string;

  beforeAll(async () => {
    server = await startCartFixtureServer();
    address = server.address;
  });
  afterAll(() => server.shutdown());

  it('lists every RPC by reflection through buf curl', async () => {
    const { stdout } = await run(buf, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--list-methods', `http://${address}`]);
    const methods = stdout.trim().split('\n').sort();
    expect(methods).toEqual(
      [
        ...CartService.methods.map((method) => `${CartService.typeName}/${method.name}`),
        'grpc.health.v1.Health/Check',
        'grpc.health.v1.Health/List',
        'grpc.health.v1.Health/Watch',
      ].sort(),
    );
  });

  it('answers Health/Check with SERVING by reflection through buf curl', async () => {
    const { stdout } = await run(buf, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--data', '{}', `http://${address}/grpc.health.v1.Health/Check`]);
    expect(JSON.parse(stdout)).toEqual({ status: 'SERVING' });
  });

  it('calls a service method by reflection through buf curl', async () => {
    const { stdout } = await run(buf, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--data', '{"userId":"u1"}', `http://${address}/shop.cart.v1.CartService/GetCart`]);
    expect(JSON.parse(stdout)).toEqual({ cart: { userId: 'u1' } });
  });

  it('answers a plain grpc-js health client with no generated code', async () => {
    await expect(plainHealthCheck(address)).resolves.toBe('SERVING');
    await expect(plainHealthCheck(address, CartService.typeName)).resolves.toBe('SERVING');
  });

  it('maps typed domain errors to their gRPC codes with the field named', async () => {
    const client = createServiceClient(CartService, { name: 'cart', address });
    expect((await expectConnectError(client.getCart({ userId: 'missing' }), Code.NotFound)).rawMessage).toBe('cart "missing" not found');
    const error = await expectConnectError(client.addItem({ userId: 'u', productId: 'p', quantity: 500 }), Code.InvalidArgument);
    expect(error.rawMessage).toBe('invalid quantity: must be from 1 to 99, got 500');
    expect(error.metadata.get('field')).toBe('quantity');
  });

  it('turns an unexpected error into INTERNAL without leaking its message', async () => {
    const client = createClient(CartService, grpcTransport(address));
    const error = await expectConnectError(client.getCart({ userId: 'crash' }), Code.Internal);
    expect(error.rawMessage).toBe('internal error');
    expect(error.message).not.toContain('postgres');
  });

  it('sends the response headers and trailers a handler sets as gRPC metadata', async () => {
    const client = createServiceClient(CartService, { name: 'cart', address });
    let header: Headers | undefined;
    let trailer: Headers | undefined;
    await client.getCart({ userId: 'headers' }, { onHeader: (h) => (header = h), onTrailer: (t) => (trailer = t) });
    expect(header?.get('x-read-after-lsn')).toBe('0/16B3748');
    expect(trailer?.get('x-served-by')).toBe('fixture');
  });

  it('sends a deadline with every call', async () => {
    const client = createServiceClient(CartService, { name: 'cart', address, defaultTimeoutMs: 3000 });
    const { cart } = await client.getCart({ userId: 'deadline' });
    const remaining = Number(cart?.userId.split(':')[1]);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(3000);
  });
});
