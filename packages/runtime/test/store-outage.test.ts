import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, createClient, type Client } from '@connectrpc/connect';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { expectConnectError } from '@shop/testkit';
import { bindService, createLogger, grpcTransport, notFound, startGrpcServer, type RunningServer, type StoreOutageClassifier } from '../src/index.js';
import { cartFixtureImpl } from './fixtures/cart-fixture-service.js';

class FakeDriverError extends Error {}

const fixtureStoreOutage: StoreOutageClassifier = (error) =>
  error instanceof FakeDriverError && error.message.startsWith('connection refused') ? { store: 'fixturedb', reason: error.message } : undefined;

describe('the store-outage hook of startGrpcServer', () => {
  let server: RunningServer;
  let client: Client<typeof CartService>;

  beforeAll(async () => {
    const failures: Record<string, () => never> = {
      down: () => {
        throw new FakeDriverError('connection refused by 10.0.0.1:5432');
      },
      broken: () => {
        throw new FakeDriverError('syntax error at or near "SELEC"');
      },
      missing: () => {
        throw notFound('cart', 'missing');
      },
    };
    const impl = { ...cartFixtureImpl(), getCart: ({ userId }: { userId: string }) => failures[userId]!() };
    server = await startGrpcServer({
      services: [bindService(CartService, impl)],
      logger: createLogger('store-outage-test', 'silent'),
      host: '127.0.0.1',
      port: 0,
      storeOutages: [fixtureStoreOutage],
    });
    client = createClient(CartService, grpcTransport(server.address));
  });
  afterAll(() => server.shutdown());

  it('answers UNAVAILABLE naming the store for an error its classifier recognises', async () => {
    await expectConnectError(client.getCart({ userId: 'down' }), Code.Unavailable, 'fixturedb unavailable: connection refused');
  });

  it('leaves other driver errors INTERNAL, with nothing leaked', async () => {
    const error = await expectConnectError(client.getCart({ userId: 'broken' }), Code.Internal);
    expect(error.rawMessage).toBe('internal error');
  });

  it('leaves domain errors as they are', async () => {
    await expectConnectError(client.getCart({ userId: 'missing' }), Code.NotFound, 'not found');
  });
});
