import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { createClient, type Client } from '@connectrpc/connect';
import type { DescService } from '@bufbuild/protobuf';
import { grpcTransport, healthStatus } from '@shop/runtime';
import type { FuzzTarget } from '@shop/runtime/testing';
import { startServiceProcess, startShopServices, uniqueName, type ServiceProcess, type ShopServices } from '@shop/testkit';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';

const run = promisify(execFile);
const secret = 'fuzz-secret-fuzz-secret-fuzz-secret-0001';

/** The five services and a gateway, with users, tokens and products for fuzzers and for well-formed callers. */
export interface FuzzStack {
  readonly shop: ShopServices;
  readonly gateway: RunningGatewayProcess;
  /** The fuzzer's victims: ids and names it mixes into generated strings. */
  readonly fuzzStrings: string[];
  /** Tokens: the fuzzed user's, a bystander's (never touched by the fuzzer), an admin's. */
  readonly tokens: { readonly attacker: string; readonly bystander: string; readonly admin: string };
  /** A product and user only the well-formed caller uses. */
  readonly bystander: { readonly userId: string; readonly productId: string };
  /** Every service and the gateway as fuzz targets. */
  targets(): FuzzTarget[];
  /** The grpc.health.v1 status of every service and the gateway. */
  health(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** A gateway started as its own process. */
export interface RunningGatewayProcess {
  readonly process: ServiceProcess;
  readonly address: string;
  readonly connectUrl: string;
}

/** A typed gRPC client of a service at an address. */
export function clientOf<S extends DescService>(service: S, address: string): Client<S> {
  return createClient(service, grpcTransport(address));
}

/** Starts a gateway process in front of the shop, with extra variables (rate limits, CORS origins). */
export async function startGatewayProcess(shop: ShopServices, env: Record<string, string> = {}): Promise<RunningGatewayProcess> {
  const httpPort = await freePort();
  const process = await startServiceProcess('gateway', {
    GATEWAY_GRPC_PORT: '0',
    GATEWAY_HTTP_PORT: String(httpPort),
    GATEWAY_JWT_SECRET: secret,
    ...shop.peerAddresses('gateway'),
    ...env,
  });
  return { process, address: process.address, connectUrl: `http://127.0.0.1:${httpPort}` };
}

/** A bearer token minted by the gateway's own token command. */
export async function mintToken(userId: string, admin = false): Promise<string> {
  const args = ['--import', 'tsx', 'services/gateway/src/cli/mint-token.ts', '--user', userId, ...(admin ? ['--admin'] : [])];
  const { stdout } = await run(process.execPath, args, { env: { PATH: process.env.PATH, GATEWAY_JWT_SECRET: secret } });
  return stdout.trim();
}

/** Starts the shop and a gateway whose rate limits a fuzzer cannot reach, and seeds the entities both sides use. */
export async function startFuzzStack(): Promise<FuzzStack> {
  const shop = await startShopServices();
  const high = '1000000';
  const gateway = await startGatewayProcess(shop, {
    GATEWAY_RATE_LIMIT_PER_SECOND: high,
    GATEWAY_RATE_LIMIT_BURST: high,
    GATEWAY_ADDRESS_RATE_LIMIT_PER_SECOND: high,
    GATEWAY_ADDRESS_RATE_LIMIT_BURST: high,
  });
  const users = clientOf(UserService, shop.processes.users.address);
  const products = clientOf(ProductService, shop.processes.products.address);
  const newUser = async (name: string) => (await users.createUser({ email: `${uniqueName(name)}@example.com`, displayName: name, address: { line1: '1 Fuzz Street' } })).user!.id;
  const newProduct = async (name: string) =>
    (await products.createProduct({ sku: uniqueName('fz'), name, description: 'fuzzed', categoryId: 'fuzz', price: { amountMinor: 1000n, currencyCode: 'EUR' }, stock: 1000 })).product!.id;
  const [attackerId, bystanderId, victimProduct, bystanderProduct] = await Promise.all([newUser('attacker'), newUser('bystander'), newProduct('Fuzz Victim'), newProduct('Bystander Boot')]);
  const [attacker, bystander, admin] = await Promise.all([mintToken(attackerId!), mintToken(bystanderId!), mintToken('fuzz-admin', true)]);
  const tokens = { attacker: attacker!, bystander: bystander!, admin: admin! };
  const addresses: Record<string, [DescService, string]> = {
    products: [ProductService, shop.processes.products.address],
    orders: [OrderService, shop.processes.orders.address],
    users: [UserService, shop.processes.users.address],
    cart: [CartService, shop.processes.cart.address],
    search: [SearchService, shop.processes.search.address],
    gateway: [StorefrontService, gateway.address],
  };
  const headerChoices: Array<Record<string, string>> = [{}, { authorization: `Bearer ${tokens.attacker}` }, { authorization: `Bearer ${tokens.admin}` }, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic x' }];
  return {
    shop,
    gateway,
    fuzzStrings: [attackerId!, victimProduct!, 'fuzz', 'Fuzz Victim', 'EUR'],
    tokens,
    bystander: { userId: bystanderId!, productId: bystanderProduct! },
    targets: () =>
      Object.entries(addresses).map(([name, [service, address]]) => (name === 'gateway' ? { service, address, connectUrl: gateway.connectUrl, headerChoices } : { service, address })),
    health: async () => Object.fromEntries(await Promise.all(Object.entries(addresses).map(async ([name, [, address]]) => [name, await healthStatus(address).catch((error: unknown) => String(error))]))),
    stop: async () => {
      await gateway.process.stop();
      await shop.stop();
    },
  };
}

/** Well-formed calls by the bystander, directly and through the gateway, repeated until stopped; each failure is recorded. */
export function startWellFormedCaller(stack: FuzzStack): { stop(): Promise<{ calls: number; failures: string[] }> } {
  const products = clientOf(ProductService, stack.shop.processes.products.address);
  const users = clientOf(UserService, stack.shop.processes.users.address);
  const storefront = clientOf(StorefrontService, stack.gateway.address);
  const auth = { headers: { authorization: `Bearer ${stack.tokens.bystander}` }, timeoutMs: 20_000 };
  const calls: Array<() => Promise<unknown>> = [
    () => products.getProduct({ id: stack.bystander.productId }, { timeoutMs: 20_000 }),
    () => users.getUser({ id: stack.bystander.userId }, { timeoutMs: 20_000 }),
    () => storefront.getCart({}, auth),
    () => storefront.listMyOrders({}, auth),
    () => storefront.getProductPage({ productId: stack.bystander.productId }, auth),
  ];
  const failures: string[] = [];
  let count = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const call = calls[count % calls.length]!;
      count += 1;
      await call().catch((error: unknown) => failures.push(String(error)));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { calls: count, failures };
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
