import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectEventBus, createLogger, ensureEventStream, natsConnectionOptions, publishEvent, startEventConsumer, type DeliveredEvent, type EventBus } from '@shop/runtime';
import { eventually } from '@shop/testkit';
import { natsServiceUrl, startNats, type NatsStore } from '../src/index.js';

const logger = createLogger('nats-ownership-test', 'silent');
let dataDir: string;
let nats: NatsStore;
const buses: EventBus[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-stack-nats-'));
  nats = await startNats({ dataDir, port: 0 });
});

afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close().catch(() => undefined)));
  await nats?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function busAs(service: 'products' | 'orders' | 'cart' | 'search' | 'users'): Promise<EventBus> {
  const bus = await connectEventBus(natsServiceUrl(nats.url, service), service);
  buses.push(bus);
  return bus;
}

/** The messages a stream holds, read as the admin user. */
async function messagesIn(stream: string): Promise<number> {
  const admin = await connect(natsConnectionOptions(nats.url));
  try {
    return (await (await jetstreamManager(admin)).streams.info(stream)).state.messages;
  } finally {
    await admin.close();
  }
}

/** The permission errors the server has reported to a connection, collected from its status stream. */
function permissionErrors(bus: EventBus): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const status of bus.nc.status()) if (status.type === 'error') seen.push(String(status.error));
  })();
  return seen;
}

const event = (subject: string, id: string) => ({ id, subject, type: 'test.Event', payload: new Uint8Array([1]) });

describe('local NATS: one user per service, permissions from the system map', () => {
  it('derives service users only from the admin URL this process started', () => {
    const orders = new URL(natsServiceUrl(nats.url, 'orders'));
    expect(orders.username).toBe('orders');
    expect(orders.password).not.toBe(new URL(nats.url).password);
    const external = 'nats://admin:someone-elses@127.0.0.1:4222';
    expect(natsServiceUrl(external, 'orders')).toBe(external);
  });

  it('refuses an anonymous connection', async () => {
    const { servers } = natsConnectionOptions(nats.url);
    await expect(connect({ servers, reconnect: false, timeout: 5_000 })).rejects.toThrow(/Authorization/i);
  });

  it('lets a service publish its own events into its own stream', async () => {
    const orders = await busAs('orders');
    await ensureEventStream(orders, 'orders');
    await publishEvent(orders, event('events.orders.OrderPlaced', 'own-1'));
    expect(await messagesIn('ORDERS_EVENTS')).toBe(1);
  });

  it("refuses a service that publishes another service's subject", async () => {
    const products = await busAs('products');
    const errors = permissionErrors(products);
    const before = await messagesIn('ORDERS_EVENTS');
    await expect(publishEvent(products, event('events.orders.OrderPlaced', 'forged-1'))).rejects.toThrow(/permission/i);
    const refusal = await eventually(() => errors.find((error) => error.includes('Permissions Violation for Publish to "events.orders.OrderPlaced"')), {
      description: 'the server reports the refused publish',
      timeoutMs: 10_000,
    });
    expect(refusal).toMatch(/PermissionViolation/);
    expect(await messagesIn('ORDERS_EVENTS')).toBe(before);
  });

  it('lets a consumer read the stream it consumes, through its own durable only', async () => {
    const orders = await busAs('orders');
    await publishEvent(orders, event('events.orders.OrderPlaced', 'own-2'));
    const cart = await busAs('cart');
    const seen: DeliveredEvent[] = [];
    const consumer = await startEventConsumer({ bus: cart, source: 'orders', durable: 'cart-order-placed', logger, handle: async (delivered) => void seen.push(delivered) });
    try {
      await eventually(() => ['own-1', 'own-2'].every((id) => seen.some((delivered) => delivered.id === id)), {
        description: 'cart receives the orders events',
        timeoutMs: 15_000,
      });
    } finally {
      await consumer.stop();
    }
    const consume = (durable: string) => startEventConsumer({ bus: cart, source: 'orders', durable, logger, handle: async () => undefined });
    await expect(consume('someone-else')).rejects.toThrow(/permission/i);
  });

  it('refuses a consumer on a stream the service does not consume', async () => {
    const search = await busAs('search');
    const attempt = startEventConsumer({ bus: search, source: 'orders', durable: 'search-indexer', logger, handle: async () => undefined });
    await expect(attempt).rejects.toThrow(/permission/i);
  });
});
