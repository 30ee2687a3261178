import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import type { DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, createRouterTransport, type Client, type HandlerContext, type ServiceImpl, type Transport } from '@connectrpc/connect';
import { DomainError } from '@shop/runtime/errors';
import { runInCallContext } from '@shop/runtime';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { TokenAuthority } from '../src/auth/jwt.js';
import { storefrontService } from '../src/api/storefront-service.js';
import { loadConfig } from '../src/config.js';
import { Storefront } from '../src/domain/storefront.js';
import { requestIdHeader } from '../src/peers/call-options.js';
import { createDownstreamClients, type DownstreamName } from '../src/peers/downstream-clients.js';
import { downstreamPorts } from '../src/peers/downstream-ports.js';

/** The shared secret of the test gateways' tokens. */
export const testSecret = 'test-secret-test-secret-test-secret-0001';

/** Stand-ins for the downstream services' published APIs, each a partial implementation of its generated service. */
export interface DownstreamApis {
  products?: Partial<ServiceImpl<typeof ProductService>>;
  search?: Partial<ServiceImpl<typeof SearchService>>;
  cart?: Partial<ServiceImpl<typeof CartService>>;
  orders?: Partial<ServiceImpl<typeof OrderService>>;
  users?: Partial<ServiceImpl<typeof UserService>>;
  analytics?: Partial<ServiceImpl<typeof AnalyticsService>>;
}

/** Calls the downstream APIs received: every attempt, and the logical calls they belong to (by request id). */
export class DownstreamCalls {
  private readonly attemptsByService = new Map<DownstreamName, number>();
  private readonly requestIds = new Map<DownstreamName, Set<string>>();
  /** The deadline (ms left) each attempt arrived with, by "service.Method". */
  readonly deadlines: Array<{ call: string; timeoutMs: number | undefined }> = [];

  /** Records one attempt. */
  record(service: DownstreamName, method: string, context: HandlerContext): void {
    this.attemptsByService.set(service, (this.attemptsByService.get(service) ?? 0) + 1);
    const ids = this.requestIds.get(service) ?? new Set<string>();
    ids.add(context.requestHeader.get(requestIdHeader) ?? `attempt-${ids.size}`);
    this.requestIds.set(service, ids);
    this.deadlines.push({ call: `${service}.${method}`, timeoutMs: context.timeoutMs() });
  }

  /** Logical calls per service: retries of one call count once. */
  logical(): Partial<Record<DownstreamName, number>> {
    return Object.fromEntries([...this.requestIds].map(([service, ids]) => [service, ids.size]));
  }

  /** Attempts per service, retries included. */
  attempts(): Partial<Record<DownstreamName, number>> {
    return Object.fromEntries(this.attemptsByService);
  }
}

/** The gateway's storefront over in-memory downstream APIs, an in-memory client of it and the calls the APIs received. */
export interface InMemoryGateway {
  readonly storefront: Client<typeof StorefrontService>;
  readonly calls: DownstreamCalls;
  /** Call options with a bearer token for the user (admin with the admin role). */
  as(userId: string, roles?: string[]): Promise<{ headers: { authorization: string } }>;
}

/** The storefront implementation over the given downstream APIs, both sides served by createRouterTransport: no socket. */
export function inMemoryGateway(apis: DownstreamApis, env: Record<string, string> = {}): InMemoryGateway {
  const calls = new DownstreamCalls();
  const transports: Partial<Record<DownstreamName, Transport>> = {
    products: routed('products', ProductService, apis.products, calls),
    search: routed('search', SearchService, apis.search, calls),
    cart: routed('cart', CartService, apis.cart, calls),
    orders: routed('orders', OrderService, apis.orders, calls),
    users: routed('users', UserService, apis.users, calls),
    analytics: routed('analytics', AnalyticsService, apis.analytics, calls),
  };
  const config = loadConfig({ GATEWAY_JWT_SECRET: testSecret, LOG_LEVEL: 'silent', ...env });
  const tokens = new TokenAuthority(config.jwtSecret, config.jwtIssuer);
  const clients = createDownstreamClients({ addresses: config.addresses, timeoutMs: config.downstreamTimeoutMs, transports });
  const impl = storefrontService(new Storefront(downstreamPorts(clients), { optionalPartMs: config.optionalPartTimeoutMs }), tokens);
  return {
    storefront: createClient(StorefrontService, createRouterTransport(({ service }) => service(StorefrontService, asServed(impl)))),
    calls,
    as: async (userId, roles = []) => ({ headers: { authorization: `Bearer ${await tokens.mint({ userId, roles })}` } }),
  };
}

/** The implementation as the gateway's servers run it: in the call's context (deadline, headers), domain errors as their codes. */
function asServed<S extends DescService>(impl: ServiceImpl<S>): ServiceImpl<S> {
  const methods = impl as unknown as Record<string, (request: unknown, context: HandlerContext) => Promise<unknown>>;
  const served = Object.entries(methods).map(([name, method]) => [
    name,
    async (request: unknown, context: HandlerContext) => {
      const timeoutMs = context.timeoutMs();
      try {
        return await runInCallContext({ deadline: timeoutMs === undefined ? undefined : Date.now() + timeoutMs, requestHeader: context.requestHeader }, () => method(request, context));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const code = Code[error.code.toLowerCase().replace(/(^|_)(\w)/g, (_, __, letter: string) => letter.toUpperCase()) as keyof typeof Code];
        throw new ConnectError(error.message, code, error.field ? { field: error.field } : undefined);
      }
    },
  ]);
  return Object.fromEntries(served) as unknown as ServiceImpl<S>;
}

function routed<S extends DescService>(name: DownstreamName, service: S, impl: Partial<ServiceImpl<S>> | undefined, calls: DownstreamCalls): Transport {
  const methods = (impl ?? {}) as Record<string, (request: unknown, context: HandlerContext) => unknown>;
  const counted = Object.fromEntries(
    Object.entries(methods).map(([method, handler]) => [
      method,
      (request: unknown, context: HandlerContext) => {
        calls.record(name, method, context);
        return handler(request, context);
      },
    ]),
  );
  return createRouterTransport(({ service: route }) => route(service, counted as Partial<ServiceImpl<S>>));
}

/** Resolves once the call is cancelled (its deadline passed or the caller gave up): a dependency that never answers. */
export function hang(context: HandlerContext): Promise<never> {
  return new Promise((_, reject) => {
    const signal = context.signal;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
