import { OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import {
  bindService,
  createLogger,
  eventSubject,
  isEntryPoint,
  ResourceStack,
  runService,
  startBackgroundConsumer,
  startGrpcServer,
  type RunningServer,
} from '@shop/runtime';
import { cartServiceImpl } from './api/cart-service.js';
import { loadConfig, type CartConfig } from './config.js';
import { CartManager } from './domain/cart-manager.js';
import { orderPlacedHandler } from './events/inbound/order-placed-handler.js';
import { RedisCartRepository } from './storage/redis-cart-repository.js';
import { connectRedis } from './storage/redis-client.js';
import { redisOutage } from './storage/store-outage.js';

/** Extra options of startCart, for tests. */
export interface CartOptions {
  readonly healthIntervalMs?: number;
}

/** Wires config → Redis → repository → OrderPlaced consumer (connecting in the background) → gRPC server, and starts it. */
export function startCart(config: CartConfig, options: CartOptions = {}): Promise<RunningServer> {
  const logger = createLogger('cart', config.logLevel);
  return new ResourceStack().guard(async (stack) => {
    const redis = stack.use('redis', await connectRedis(config.redisUrl), async (client) => void (await client.quit()));
    const carts = new CartManager(new RedisCartRepository(redis, config.cartTtlSeconds));
    const handle = orderPlacedHandler(carts, eventSubject({ namespace: config.eventsNamespace }, 'orders', OrderPlacedSchema), logger);
    const consuming = startBackgroundConsumer({ natsUrl: config.natsUrl, namespace: config.eventsNamespace, service: 'cart', handle, logger });
    stack.use('order-placed consumer', consuming, (consumer) => consumer.close());
    return startGrpcServer({
      services: [bindService(CartService, cartServiceImpl(carts))],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { redis: async () => void (await redis.ping()) },
      storeOutages: [redisOutage],
      ...(options.healthIntervalMs ? { healthIntervalMs: options.healthIntervalMs } : {}),
      resources: stack.entries,
    });
  });
}

if (isEntryPoint(import.meta.url)) runService(() => startCart(loadConfig()));
