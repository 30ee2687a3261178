import { setTimeout as sleep } from 'node:timers/promises';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import { untilAnswered, type ShopClients } from './shop-clients.js';
import type { Buyer } from './buyers.js';

/** One audited property: its name, and what is wrong (nothing when it holds). */
export interface Finding {
  readonly check: string;
  readonly problems: string[];
}

/** The audit of one round, through the owners' APIs. */
export interface AuditResult {
  readonly findings: Finding[];
  readonly confirmed: number;
  readonly remainingStock: number;
  readonly clean: boolean;
}

/** A line added to a confirmed buyer's emptied cart: a second application of its OrderPlaced would remove it. */
export interface CartMarker {
  readonly userId: string;
  readonly productId: string;
}

const CALL_MS = 30_000;

/** Polls check until it reports no problem or the time is up; returns the last problems. */
async function settle(check: () => Promise<string[]>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let problems = await check();
  while (problems.length > 0 && Date.now() < deadline) {
    await sleep(500);
    problems = await check();
  }
  return problems;
}

async function ordersOf(clients: ShopClients, buyers: readonly Buyer[]) {
  return Promise.all(buyers.map(async (buyer) => ({ buyer, orders: (await untilAnswered(() => clients.orders.listOrders({ customerId: buyer.userId, pageSize: 50 }), CALL_MS)).orders })));
}

/**
 * Audits a round: confirmed quantity plus remaining stock equals the initial stock; no order PENDING once the bound
 * has passed; one order per idempotency key; every confirmed buyer's cart emptied; the search index shows the product
 * as products does. Each property may take settleMs to hold (events in flight); then it must hold.
 */
export async function auditRound(clients: ShopClients, product: { id: string; name: string }, initialStock: number, buyers: readonly Buyer[], settleMs: number): Promise<AuditResult> {
  const findings: Finding[] = [];
  const pending = await settle(async () => {
    const placed = await ordersOf(clients, buyers);
    return placed.flatMap(({ buyer, orders }) => orders.filter((order) => order.status === OrderStatus.PENDING).map((order) => `order ${order.id} of ${buyer.userId} still PENDING`));
  }, settleMs);
  findings.push({ check: 'no order PENDING past the recovery bound', problems: pending });

  const placed = await ordersOf(clients, buyers);
  findings.push({
    check: 'one order per idempotency key',
    problems: placed.filter(({ orders }) => orders.length > 1).map(({ buyer, orders }) => `${buyer.idempotencyKey}: ${orders.length} orders`),
  });
  const confirmedBuyers = placed.filter(({ orders }) => orders.some((order) => order.status === OrderStatus.CONFIRMED)).map(({ buyer }) => buyer);
  const confirmed = placed
    .flatMap(({ orders }) => orders.filter((order) => order.status === OrderStatus.CONFIRMED))
    .flatMap((order) => order.items.filter((item) => item.productId === product.id))
    .reduce((sum, item) => sum + item.quantity, 0);
  const { product: current } = await untilAnswered(() => clients.products.getProduct({ id: product.id }), CALL_MS);
  const remainingStock = current?.stock ?? -1;
  findings.push({
    check: 'confirmed quantity + remaining stock = initial stock',
    problems: confirmed + remainingStock === initialStock ? [] : [`${confirmed} confirmed + ${remainingStock} left ≠ ${initialStock}`],
  });

  const carts = await settle(async () => {
    const answers = await Promise.all(confirmedBuyers.map(async (buyer) => ({ buyer, cart: (await untilAnswered(() => clients.cart.getCart({ userId: buyer.userId }), CALL_MS)).cart })));
    return answers.filter(({ cart }) => (cart?.lines.length ?? 0) > 0).map(({ buyer }) => `cart of confirmed buyer ${buyer.userId} not emptied`);
  }, settleMs);
  findings.push({ check: "every confirmed buyer's cart emptied", problems: carts });

  const index = await settle(async () => {
    const { product: now } = await untilAnswered(() => clients.products.getProduct({ id: product.id }), CALL_MS);
    const { hits } = await untilAnswered(() => clients.search.searchProducts({ query: product.name, pageSize: 10 }), CALL_MS);
    const hit = hits.find((candidate) => candidate.productId === product.id);
    if (!now) return ['product missing from products'];
    if (!hit) return [`${product.id} missing from the search index`];
    const problems: string[] = [];
    if (hit.inStock !== now.stock > 0) problems.push(`index says in stock ${hit.inStock}, products has ${now.stock}`);
    if (hit.name !== now.name) problems.push(`index name ${hit.name} ≠ ${now.name}`);
    if (hit.price?.amountMinor !== now.price?.amountMinor) problems.push('index price differs from products');
    return problems;
  }, settleMs);
  findings.push({ check: "the search index equals products' current state", problems: index });

  return { findings, confirmed, remainingStock, clean: findings.every((finding) => finding.problems.length === 0) };
}

/** Puts a marker line in each confirmed buyer's emptied cart. */
export async function placeCartMarkers(clients: ShopClients, buyers: readonly Buyer[], productId: string): Promise<CartMarker[]> {
  await Promise.all(buyers.map((buyer) => untilAnswered(() => clients.cart.addItem({ userId: buyer.userId, productId, quantity: 1 }), CALL_MS)));
  return buyers.map((buyer) => ({ userId: buyer.userId, productId }));
}

/** Every OrderPlaced applied exactly once: each confirmed cart was emptied (audited per round), and no marker added after that was removed by a redelivery. */
export async function auditCartMarkers(clients: ShopClients, markers: readonly CartMarker[]): Promise<Finding> {
  const answers = await Promise.all(markers.map(async (marker) => ({ marker, cart: (await untilAnswered(() => clients.cart.getCart({ userId: marker.userId }), CALL_MS)).cart })));
  const lost = answers.filter(({ marker, cart }) => !cart?.lines.some((line) => line.productId === marker.productId));
  return { check: 'every OrderPlaced applied exactly once', problems: lost.map(({ marker }) => `cart of ${marker.userId} lost the line added after its order`) };
}

/** The buyers whose orders were confirmed. */
export async function confirmedBuyers(clients: ShopClients, buyers: readonly Buyer[]): Promise<Buyer[]> {
  const placed = await ordersOf(clients, buyers);
  return placed.filter(({ orders }) => orders.some((order) => order.status === OrderStatus.CONFIRMED)).map(({ buyer }) => buyer);
}
