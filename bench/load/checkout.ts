import { randomUUID } from 'node:crypto';
import type { Client } from '@connectrpc/connect';
import { OrderStatus } from '@shop/gen/order/v1/order_pb';
import type { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { failureName, runClosedLoop } from '../support/closed-loop.js';
import { percentile, summarize, type PhaseStats } from '../support/stats.js';

/** Who buys and what: customer ids and the product ids they pick from. */
export interface Shoppers {
  readonly customerIds: readonly string[];
  readonly productIds: readonly string[];
}

const address = { line1: '1 Bench Street', line2: '10000 Loadtown', line3: 'Benchland' };
const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)]!;

/** Checkouts of one line each, by `buyers` closed-loop callers over many products, for `seconds`. */
export async function checkoutClosedLoop(orders: Client<typeof OrderService>, shoppers: Shoppers, buyers: number, seconds: number): Promise<PhaseStats> {
  const operation = {
    name: 'checkout',
    callers: buyers,
    call: () =>
      orders.createOrder(
        { idempotencyKey: randomUUID(), customerId: pick(shoppers.customerIds), items: [{ productId: pick(shoppers.productIds), quantity: 1 }], shippingAddress: address },
        { timeoutMs: 10_000 },
      ),
  };
  const sample = (await runClosedLoop([operation], seconds * 1000)).get('checkout')!;
  return summarize(sample.latenciesMs, sample.failures, seconds * 1000);
}

/** What a flash sale's calls answered: statuses by name, failures by gRPC code, latency of every call. */
export interface FlashSaleOutcome {
  readonly buyers: number;
  readonly units: number;
  readonly statuses: Record<string, number>;
  readonly failures: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly deadlineMs: number;
}

/** Every buyer at once orders one unit of the same product, each call with its own deadline. */
export async function flashSale(orders: Client<typeof OrderService>, customerIds: readonly string[], productId: string, units: number, buyers: number, deadlineMs: number): Promise<FlashSaleOutcome> {
  const statuses: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const latencies = await Promise.all(
    Array.from({ length: buyers }, async (_, index) => {
      const started = performance.now();
      try {
        const { order } = await orders.createOrder(
          { idempotencyKey: randomUUID(), customerId: customerIds[index % customerIds.length]!, items: [{ productId, quantity: 1 }], shippingAddress: address },
          { timeoutMs: deadlineMs },
        );
        const status = OrderStatus[order!.status] ?? 'UNKNOWN';
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch (error) {
        const name = failureName(error);
        failures[name] = (failures[name] ?? 0) + 1;
      }
      return performance.now() - started;
    }),
  );
  latencies.sort((a, b) => a - b);
  return { buyers, units, statuses, failures, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1)!, deadlineMs };
}
