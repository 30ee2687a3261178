import { OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import {
  bindService,
  connectEventBus,
  createLogger,
  eventSubject,
  startEventConsumer,
  startGrpcServer,
  type RunningServer,
} from '@shop/runtime';
import { cartServiceImpl } from './api/cart-service.js';
import type { CartConfig } from './config.js';
import { CartManager } from './domain/cart-manager.js';
import { orderPlacedHandler } from './events/order-placed-handler.js';
import { RedisCartRepository } from './storage/redis-cart-repository.js';
import { connectRedis } from './storage/redis-client.js';

/** Extra options of startCartService, for tests. */
export interface CartServiceOptions {
  readonly healthIntervalMs?: number;
}

/** Wires config → Redis → repository → OrderPlaced consumer → gRPC server, and starts it. */
export async function startCartService(config: CartConfig, options: CartServiceOptions = {}): Promise<RunningServer> {
  const logger = createLogger('cart', config.LOG_LEVEL);
  const redis = await connectRedis(config.CART_REDIS_URL);
  const carts = new CartManager(new RedisCartRepository(redis, config.CART_TTL_SECONDS));
  const bus = await connectEventBus(config.NATS_URL, 'cart', config.EVENTS_NAMESPACE);
  const consumer = await startEventConsumer({
    bus,
    source: 'orders',
    durable: 'cart-order-placed',
    handle: orderPlacedHandler(carts, eventSubject(bus, 'orders', OrderPlacedSchema), logger),
    logger,
  });
  return startGrpcServer({
    services: [bindService(CartService, cartServiceImpl(carts))],
    logger,
    host: config.CART_HOST,
    port: config.CART_PORT,
    healthChecks: { redis: async () => void (await redis.ping()) },
    ...(options.healthIntervalMs ? { healthIntervalMs: options.healthIntervalMs } : {}),
    resources: [
      { name: 'redis', close: async () => void (await redis.quit()) },
      { name: 'bus', close: () => bus.close() },
      { name: 'consumer', close: () => consumer.stop() },
    ],
  });
}
