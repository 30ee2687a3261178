import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, type Client } from '@connectrpc/connect';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import type { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { UserCreatedSchema, UserUpdatedSchema } from '@shop/gen/user/v1/user_events_pb';
import { OrderCancelledSchema, OrderConfirmedSchema, OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { claimPort, natsAdminUrl, startNats, type NatsStore } from '@shop/local-stack';
import { eventually, expectConnectError, isolatedPgDatabase, testStores, uniqueName, type IsolatedDatabase } from '@shop/testkit';
import { connectEventBus, createLogger, ensureEventStream, eventStreamOf, eventSubject, publishEvent, startEventConsumer, type DeliveredEvent, type EventBus, type RunningServer } from '@shop/runtime';
import pg from 'pg';
import {
  createProduct,
  createUser,
  ordersEnv,
  peerEnv,
  queryOnce,
  replicaCaughtUp,
  startOrdersInProcess,
  startPeers,
  stockOf,
  uniqueNamespace,
  type Peers,
} from './support.js';

const namespace = uniqueNamespace('orders-checkout');
const address = { line1: 'Main Street 1', line2: '12345 Town', line3: 'Country' };
let peers: Peers;
let database: IsolatedDatabase;
let server: RunningServer;
let orders: Client<typeof OrderService>;

function order(customerId: string, items: Array<{ productId: string; quantity: number }>, idempotencyKey = uniqueName('key')) {
  return { idempotencyKey, customerId, items, shippingAddress: address };
}

beforeAll(async () => {
  peers = await startPeers(namespace);
  database = await isolatedPgDatabase(testStores().ordersPgAdminUrl, 'orders', testStores().ordersReplicaPgAdminUrl);
  ({ server, client: orders } = await startOrdersInProcess(ordersEnv(database, namespace, peerEnv(peers))));
});

afterAll(async () => {
  await server?.shutdown();
  await peers?.stop();
  await database?.drop();
});

describe('checkout', () => {
  it('confirms an order with copies of product names, prices and the customer name, and takes the stock', async () => {
    const [pen, ink, customer] = await Promise.all([createProduct(peers, 250, 10), createProduct(peers, 1999, 3), createUser(peers, 'Ada Lovelace')]);
    const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: pen.id, quantity: 4 }, { productId: ink.id, quantity: 1 }]));
    expect(placed).toMatchObject({
      status: OrderStatus.CONFIRMED,
      customerId: customer.id,
      customerName: 'Ada Lovelace',
      customerCurrentName: 'Ada Lovelace',
      total: { amountMinor: 2999n, currencyCode: 'EUR' },
      shippingAddress: address,
      items: [
        { productId: pen.id, productName: pen.name, unitPrice: { amountMinor: 250n, currencyCode: 'EUR' }, quantity: 4, lineTotal: { amountMinor: 1000n } },
        { productId: ink.id, productName: ink.name, unitPrice: { amountMinor: 1999n }, quantity: 1, lineTotal: { amountMinor: 1999n } },
      ],
    });
    expect(await Promise.all([stockOf(peers, pen.id), stockOf(peers, ink.id)])).toEqual([6, 2]);
    const { order: read } = await orders.getOrder({ id: placed!.id });
    expect(read).toEqual(placed);
  });

  it('rejects an order that stock cannot cover and leaves every stock as it was', async () => {
    const [scarce, plenty, customer] = await Promise.all([createProduct(peers, 100, 1), createProduct(peers, 100, 5), createUser(peers, 'Bob')]);
    const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: plenty.id, quantity: 1 }, { productId: scarce.id, quantity: 2 }]));
    expect(placed).toMatchObject({ status: OrderStatus.REJECTED, statusReason: `out of stock: ${scarce.id}` });
    expect(await Promise.all([stockOf(peers, scarce.id), stockOf(peers, plenty.id)])).toEqual([1, 5]);
  });

  it('sells a scarce product to as many concurrent buyers as it has units and rejects the others with the reason', async () => {
    const [scarce, ...buyers] = await Promise.all([createProduct(peers, 100, 3), ...Array.from({ length: 12 }, (_, index) => createUser(peers, `Buyer ${index}`))]);
    const answers = await Promise.all(buyers.map((buyer) => orders.createOrder(order(buyer.id, [{ productId: scarce.id, quantity: 1 }]))));
    const outcomes = answers.map(({ order: o }) => [o!.status, o!.statusReason]);
    expect(outcomes.filter(([status]) => status === OrderStatus.CONFIRMED)).toHaveLength(3);
    expect(outcomes.filter(([status]) => status !== OrderStatus.CONFIRMED)).toEqual(Array.from({ length: 9 }, () => [OrderStatus.REJECTED, `out of stock: ${scarce.id}`]));
    expect(await stockOf(peers, scarce.id)).toBe(0);
  });

  it('rejects unknown products, an unknown customer and mixed currencies, with the reason', async () => {
    const [euro, dollar, customer] = await Promise.all([createProduct(peers, 100, 5), createProduct(peers, 100, 5, 'USD'), createUser(peers, 'Cy')]);
    const unknownProduct = await orders.createOrder(order(customer.id, [{ productId: euro.id, quantity: 1 }, { productId: 'no-such-product', quantity: 1 }]));
    const unknownCustomer = await orders.createOrder(order('no-such-user', [{ productId: euro.id, quantity: 1 }]));
    const mixed = await orders.createOrder(order(customer.id, [{ productId: euro.id, quantity: 1 }, { productId: dollar.id, quantity: 1 }]));
    expect([unknownProduct, unknownCustomer, mixed].map(({ order: o }) => [o!.status, o!.statusReason])).toEqual([
      [OrderStatus.REJECTED, 'unknown products: no-such-product'],
      [OrderStatus.REJECTED, 'customer no-such-user not found'],
      [OrderStatus.REJECTED, 'mixed currencies: EUR, USD'],
    ]);
    expect(await Promise.all([stockOf(peers, euro.id), stockOf(peers, dollar.id)])).toEqual([5, 5]);
  });

  it('answers a repeated idempotency key with the first order and takes the stock once, also for concurrent duplicates', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 500, 10), createUser(peers, 'Dee')]);
    const request = order(customer.id, [{ productId: product.id, quantity: 3 }]);
    const first = await orders.createOrder(request);
    const retry = await orders.createOrder(request);
    expect(retry.order).toEqual(first.order);
    const concurrent = order(customer.id, [{ productId: product.id, quantity: 2 }]);
    const answers = await Promise.all([1, 2, 3, 4].map(() => orders.createOrder(concurrent)));
    expect(new Set(answers.map(({ order: o }) => o!.id)).size).toBe(1);
    expect(await stockOf(peers, product.id)).toBe(5);
    const { orders: listed } = await orders.listOrders({ customerId: customer.id });
    expect(listed).toHaveLength(2);
  });

  it('answers a retry that carries only the key with the first order, and refuses the key to another customer', async () => {
    const [product, customer, stranger] = await Promise.all([createProduct(peers, 500, 10), createUser(peers, 'Eve'), createUser(peers, 'Sam')]);
    const request = order(customer.id, [{ productId: product.id, quantity: 1 }]);
    const first = await orders.createOrder(request);
    const keyOnly = await orders.createOrder({ ...request, items: [] });
    expect(keyOnly.order?.id).toBe(first.order?.id);
    const error = await expectConnectError(orders.createOrder({ ...request, customerId: stranger.id }), Code.FailedPrecondition);
    expect(error.rawMessage).not.toContain(first.order!.id);
    expect(error.rawMessage).not.toContain('Eve');
  });

  it('keeps the name and price of the order time after the product changes', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 700, 10), createUser(peers, 'Eve')]);
    const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: product.id, quantity: 1 }]));
    await peers.productsClient.updateProduct({
      product: { id: product.id, name: 'Renamed', price: { amountMinor: 9900n, currencyCode: 'EUR' } },
      updateMask: { paths: ['name', 'price'] },
    });
    const { order: read } = await orders.getOrder({ id: placed!.id });
    expect(read!.items[0]).toMatchObject({ productName: product.name, unitPrice: { amountMinor: 700n } });
    expect(read!.total).toMatchObject({ amountMinor: 700n });
  });

  it('publishes OrderPlaced, OrderConfirmed and OrderCancelled with fresh event ids and the order versions', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 400, 5), createUser(peers, 'Pat')]);
    const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: product.id, quantity: 2 }]));
    await orders.cancelOrder({ id: placed!.id, reason: 'test' });
    const bus = await connectEventBus(testStores().natsUrl, 'orders-test', namespace);
    const seen: DeliveredEvent[] = [];
    const consumer = await startEventConsumer({ bus, source: 'orders', durable: uniqueName('orders-test'), logger: createLogger('test', 'silent'), handle: async (event) => void seen.push(event) });
    try {
      const mine = await eventually(async () => {
        const events = seen.filter((event) => fromBinary(OrderConfirmedSchema, event.payload).orderId === placed!.id);
        return events.length >= 3 ? events : undefined;
      }, { description: "the order's three events" });
      expect(mine.map((event) => event.type)).toEqual([OrderPlacedSchema.typeName, OrderConfirmedSchema.typeName, OrderCancelledSchema.typeName]);
      const placedEvent = fromBinary(OrderPlacedSchema, mine[0]!.payload);
      expect(placedEvent).toMatchObject({ eventId: mine[0]!.id, version: 1n, customerId: customer.id, items: [{ productId: product.id, quantity: 2 }], total: { amountMinor: 800n } });
      expect(fromBinary(OrderCancelledSchema, mine[2]!.payload)).toMatchObject({ version: 3n, reason: 'test' });
      expect(new Set(mine.map((event) => event.id)).size).toBe(3);
    } finally {
      await consumer.stop();
      await bus.close();
    }
  });

  it('cancels a confirmed order and returns its stock; cancelling again is FAILED_PRECONDITION', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 100, 4), createUser(peers, 'Fay')]);
    const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: product.id, quantity: 3 }]));
    expect(await stockOf(peers, product.id)).toBe(1);
    const { order: cancelled } = await orders.cancelOrder({ id: placed!.id, reason: 'changed my mind' });
    expect(cancelled).toMatchObject({ status: OrderStatus.CANCELLED, statusReason: 'changed my mind', version: placed!.version + 1n });
    expect(await stockOf(peers, product.id)).toBe(4);
    await expect(orders.cancelOrder({ id: placed!.id })).rejects.toMatchObject({ code: Code.FailedPrecondition });
    expect(await stockOf(peers, product.id)).toBe(4);
  });

  it('refuses to cancel an order that was rejected, and an order that does not exist', async () => {
    const customer = await createUser(peers, 'Gus');
    const { order: rejected } = await orders.createOrder(order(customer.id, [{ productId: 'missing', quantity: 1 }]));
    await expect(orders.cancelOrder({ id: rejected!.id })).rejects.toMatchObject({ code: Code.FailedPrecondition });
    await expect(orders.cancelOrder({ id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(orders.getOrder({ id: 'not-an-order-id' })).rejects.toMatchObject({ code: Code.NotFound });
  });

  it('refuses bad input with INVALID_ARGUMENT naming the field, storing nothing', async () => {
    const customer = await createUser(peers, 'Hal');
    const cases: Array<[Parameters<typeof orders.createOrder>[0], string]> = [
      [{ ...order(customer.id, [{ productId: 'p', quantity: 1 }]), idempotencyKey: '' }, 'idempotency_key'],
      [order('', [{ productId: 'p', quantity: 1 }]), 'customer_id'],
      [order(customer.id, []), 'items'],
      [order(customer.id, [{ productId: 'p', quantity: 1 }, { productId: 'q', quantity: 0 }]), 'items[1].quantity'],
      [order(customer.id, [{ productId: 'p', quantity: 1 }, { productId: 'p', quantity: 1 }]), 'items[1].product_id'],
      [{ ...order(customer.id, [{ productId: 'p', quantity: 1 }]), shippingAddress: { line1: ' ' } }, 'shipping_address.line1'],
    ];
    for (const [request, field] of cases) {
      await expect(orders.createOrder(request)).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: expect.stringContaining(`invalid ${field}:`) });
    }
    await expect(orders.listOrders({ customerId: customer.id, pageToken: 'garbage' })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(orders.listOrders({ customerId: '' })).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: expect.stringContaining('customer_id') });
    expect((await orders.listOrders({ customerId: customer.id })).orders).toEqual([]);
  });

  it("lists a customer's orders newest first, a page at a time", async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 100, 10), createUser(peers, 'Ivy')]);
    const placed = [];
    for (let index = 0; index < 5; index += 1) placed.push((await orders.createOrder(order(customer.id, [{ productId: product.id, quantity: 1 }]))).order!.id);
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await orders.listOrders({ customerId: customer.id, pageSize: 2, pageToken });
      seen.push(...page.orders.map((o) => o.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual([...placed].reverse());
  });
});

describe('reads on the replica', () => {
  const replicaAdminUrl = () => testStores().ordersReplicaPgAdminUrl;
  const setReplay = (action: 'pause' | 'resume') => queryOnce(replicaAdminUrl(), `SELECT pg_wal_replay_${action}()`);

  it('serves reads from the replica: a change only the primary has is not seen while replay is paused', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 100, 5), createUser(peers, 'Jo')]);
    const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: product.id, quantity: 1 }]));
    await replicaCaughtUp(database.url, replicaAdminUrl());
    await setReplay('pause');
    try {
      await queryOnce(database.url, `UPDATE customer_names SET display_name = 'Only On The Primary' WHERE customer_id = $1`, [customer.id]);
      const { order: read } = await orders.getOrder({ id: placed!.id });
      expect(read!.customerCurrentName).toBe('Jo');
      const replicaSessions = await queryOnce<{ query: string }>(
        replicaAdminUrl(),
        `SELECT query FROM pg_stat_activity WHERE application_name = 'orders-replica' AND datname = $1`,
        [new URL(database.url).pathname.slice(1)],
      );
      expect(replicaSessions.some((session) => /FROM order(s|_items)/.test(session.query))).toBe(true);
    } finally {
      await setReplay('resume');
    }
    await replicaCaughtUp(database.url, replicaAdminUrl());
    expect((await orders.getOrder({ id: placed!.id })).order!.customerCurrentName).toBe('Only On The Primary');
  });

  it('reads its own writes while the replica is held back', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 100, 5), createUser(peers, 'Kim')]);
    await replicaCaughtUp(database.url, replicaAdminUrl());
    await setReplay('pause');
    try {
      let writeHeader: Headers | undefined;
      const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: product.id, quantity: 2 }]), { onHeader: (header) => (writeHeader = header) });
      expect(placed!.status).toBe(OrderStatus.CONFIRMED);
      expect(writeHeader?.get('x-read-after-lsn')).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const { order: read } = await orders.getOrder({ id: placed!.id });
      expect(read).toEqual(placed);
      const { orders: listed } = await orders.listOrders({ customerId: customer.id });
      expect(listed.map((o) => o.id)).toEqual([placed!.id]);
      const { order: cancelled } = await orders.cancelOrder({ id: placed!.id });
      expect((await orders.getOrder({ id: placed!.id })).order).toEqual(cancelled);
    } finally {
      await setReplay('resume');
    }
  });
});

describe('store isolation', () => {
  const refused = async (url: string) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.end();
      return false;
    } catch {
      return true;
    }
  };
  const withCredentialsOf = (credentials: string, target: string) => {
    const from = new URL(credentials);
    const url = new URL(target);
    url.username = from.username;
    url.password = from.password;
    return url.toString();
  };

  it('refuses the orders role on the users database and the users role on the orders database', async () => {
    expect(await refused(database.url)).toBe(false);
    expect(await refused(withCredentialsOf(database.url, peers.usersDatabase.url))).toBe(true);
    expect(await refused(withCredentialsOf(peers.usersDatabase.url, database.url))).toBe(true);
    const otherOrdersDatabase = new URL(database.url);
    otherOrdersDatabase.pathname = '/postgres';
    expect(await refused(otherOrdersDatabase.toString())).toBe(true);
  });
});

describe('customer-name copy', () => {
  it('applies renames once and in version order, while orders keep the name at order time', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 100, 5), createUser(peers, 'Lee')]);
    const { order: placed } = await orders.createOrder(order(customer.id, [{ productId: product.id, quantity: 1 }]));
    const bus = await connectEventBus(testStores().natsUrl, 'orders-test', namespace);
    try {
      await ensureEventStream(bus, 'users');
      const renamed = (version: bigint, displayName: string) => {
        const eventId = uniqueName('event');
        const event = create(UserUpdatedSchema, { eventId, userId: customer.id, version, user: { ...customer, displayName, version }, changedFields: ['display_name'] });
        return publishEvent(bus, { id: eventId, subject: eventSubject(bus, 'users', UserUpdatedSchema), type: UserUpdatedSchema.typeName, payload: toBinary(UserUpdatedSchema, event) });
      };
      await renamed(3n, 'Lee Newest');
      await renamed(2n, 'Lee Older');
      await renamed(3n, 'Lee Newest');
      const sentinel = uniqueName('sentinel-user');
      const created = create(UserCreatedSchema, { eventId: sentinel, userId: sentinel, version: 1n, user: { id: sentinel, displayName: 'Sentinel', version: 1n } });
      await publishEvent(bus, { id: sentinel, subject: eventSubject(bus, 'users', UserCreatedSchema), type: UserCreatedSchema.typeName, payload: toBinary(UserCreatedSchema, created) });
      await eventually(async () => (await queryOnce(database.url, 'SELECT 1 FROM customer_names WHERE customer_id = $1', [sentinel]))[0], {
        description: 'the sentinel name copied',
      });
    } finally {
      await bus.close();
    }
    expect(await queryOnce(database.url, 'SELECT display_name, version FROM customer_names WHERE customer_id = $1', [customer.id])).toEqual([
      { display_name: 'Lee Newest', version: '3' },
    ]);
    await replicaCaughtUp(database.url, testStores().ordersReplicaPgAdminUrl);
    const { order: read } = await orders.getOrder({ id: placed!.id });
    expect(read).toMatchObject({ customerName: 'Lee', customerCurrentName: 'Lee Newest' });
    const { orders: listed } = await orders.listOrders({ customerId: customer.id });
    expect(listed[0]).toMatchObject({ customerName: 'Lee', customerCurrentName: 'Lee Newest' });
  });
});

describe('while NATS is down', () => {
  it('starts and serves, keeps the events in the outbox and publishes each once when the bus is back, and then reads user events', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'orders-nats-outage-'));
    const natsPort = await claimPort(0, 'nats');
    const offlineDatabase = await isolatedPgDatabase(testStores().ordersPgAdminUrl, 'orders');
    const env = ordersEnv(offlineDatabase, namespace, { ...peerEnv(peers), NATS_URL: natsAdminUrl(dataDir, natsPort) });
    const offline = await startOrdersInProcess(env);
    let nats: NatsStore | undefined;
    let bus: EventBus | undefined;
    const unpublished = async () => (await queryOnce<{ n: number }>(offlineDatabase.url, 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0]!.n;
    try {
      const [product, customer] = await Promise.all([createProduct(peers, 300, 5), createUser(peers, 'Offline')]);
      const { order: placed } = await offline.client.createOrder(order(customer.id, [{ productId: product.id, quantity: 1 }]));
      expect(placed!.status).toBe(OrderStatus.CONFIRMED);
      expect(await unpublished()).toBe(2);

      nats = await startNats({ dataDir, port: natsPort });
      await eventually(async () => (await unpublished()) === 0, { description: 'the outbox relayed once NATS is up', timeoutMs: 60_000 });
      bus = await connectEventBus(nats.url, 'orders-nats-outage-test', namespace);
      const stream = eventStreamOf(bus, 'orders').name;
      expect((await (await jetstreamManager(bus.nc)).streams.info(stream)).state.messages).toBe(2);
      const consumer = await bus.js.consumers.get(stream);
      const types: string[] = [];
      for await (const message of await consumer.fetch({ max_messages: 2, expires: 10_000 })) {
        expect(fromBinary(OrderPlacedSchema, message.data).orderId).toBe(placed!.id);
        types.push(message.headers?.get('Event-Type') ?? '');
        if (types.length === 2) break;
      }
      expect(types).toEqual([OrderPlacedSchema.typeName, OrderConfirmedSchema.typeName]);

      await ensureEventStream(bus, 'users');
      const sentinel = uniqueName('sentinel-user');
      const created = create(UserCreatedSchema, { eventId: sentinel, userId: sentinel, version: 1n, user: { id: sentinel, displayName: 'After The Outage', version: 1n } });
      await publishEvent(bus, { id: sentinel, subject: eventSubject(bus, 'users', UserCreatedSchema), type: UserCreatedSchema.typeName, payload: toBinary(UserCreatedSchema, created) });
      await eventually(async () => (await queryOnce(offlineDatabase.url, 'SELECT 1 FROM customer_names WHERE customer_id = $1', [sentinel]))[0], {
        description: 'the user-event consumer started once NATS is up',
        timeoutMs: 60_000,
      });
    } finally {
      await bus?.close();
      await offline.server.shutdown();
      await nats?.stop();
      await offlineDatabase.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
