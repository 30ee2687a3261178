import { randomUUID } from 'node:crypto';
import { OrderState } from '@shop/gen/storefront/v1/storefront_pb';
import { untilAnswered, type ShopClients } from './shop-clients.js';

/** A buyer of the race: an account, a bearer token, one idempotency key. */
export interface Buyer {
  readonly userId: string;
  readonly token: string;
  readonly idempotencyKey: string;
}

/** What one buyer's checkout ended as. */
export interface Outcome {
  readonly buyer: Buyer;
  readonly state: 'CONFIRMED' | 'REJECTED' | 'PENDING' | 'FAILED';
  readonly orderId?: string;
  readonly error?: string;
}

/** A product to race for, created through its owner's API. */
export async function createRaceProduct(clients: ShopClients, label: string, units: number): Promise<{ id: string; name: string }> {
  const suffix = randomUUID().slice(0, 8);
  const { product } = await untilAnswered(
    () =>
      clients.products.createProduct({
        sku: `CHAOS-${suffix}`,
        name: `Chaos ${label} ${suffix}`,
        description: `raced for while ${label} is killed`,
        categoryId: 'chaos',
        price: { amountMinor: 1_000n, currencyCode: 'EUR' },
        stock: units,
      }),
    60_000,
  );
  return { id: product!.id, name: product!.name };
}

/** Buyers created through the users API, with tokens minted by the gateway's own token authority. */
export async function createBuyers(clients: ShopClients, jwtSecret: string, count: number): Promise<Buyer[]> {
  const { TokenAuthority } = await import('../../services/gateway/src/auth/jwt.js');
  const authority = new TokenAuthority(jwtSecret, 'shop-gateway');
  const buyers: Buyer[] = [];
  const createOne = async (): Promise<Buyer> => {
    const tag = randomUUID().slice(0, 12);
    const { user } = await untilAnswered(
      () => clients.users.createUser({ email: `chaos-${tag}@bench.shop.example`, displayName: `Chaos buyer ${tag}`, address: { line1: '1 Chaos Road', line2: '10000 Benchtown', line3: '' } }),
      60_000,
    );
    return { userId: user!.id, token: await authority.mint({ userId: user!.id, roles: [] }), idempotencyKey: `chaos-${tag}` };
  };
  while (buyers.length < count) buyers.push(...(await Promise.all(Array.from({ length: Math.min(20, count - buyers.length) }, createOne))));
  return buyers;
}

const stateName: Partial<Record<OrderState, Outcome['state']>> = {
  [OrderState.CONFIRMED]: 'CONFIRMED',
  [OrderState.REJECTED]: 'REJECTED',
  [OrderState.PENDING]: 'PENDING',
};

/** One buyer through the gateway: puts one unit in the cart, then checks out, each step repeated (checkout with its key) across outages. */
export async function buy(clients: ShopClients, buyer: Buyer, productId: string, timeoutMs: number): Promise<Outcome> {
  const headers = { authorization: `Bearer ${buyer.token}` };
  const call = { headers, timeoutMs: 10_000 };
  try {
    await untilAnswered(() => clients.gateway.addCartItem({ productId, quantity: 1 }, call), timeoutMs);
    const { order } = await untilAnswered(
      () => clients.gateway.checkout({ idempotencyKey: buyer.idempotencyKey, shippingAddressLines: ['1 Chaos Road', '10000 Benchtown'] }, { headers, timeoutMs: 20_000 }),
      timeoutMs,
    );
    return { buyer, state: stateName[order?.state ?? OrderState.UNSPECIFIED] ?? 'FAILED', ...(order ? { orderId: order.id } : {}) };
  } catch (error) {
    return { buyer, state: 'FAILED', error: error instanceof Error ? error.message : String(error) };
  }
}
