import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OrderState } from '@shop/gen/storefront/v1/storefront_pb';
import { auditRound, confirmedBuyers, placeCartMarkers, type AuditResult, type CartMarker } from './audit.js';
import { buy, createBuyers, createRaceProduct, type Buyer, type Outcome } from './buyers.js';
import { killProcess, waitServingAgain, type LaunchedSystem } from './launched-system.js';
import type { ShopClients } from './shop-clients.js';

/** How big a round is and how long its steps may take. */
export interface RoundSettings {
  readonly buyers: number;
  readonly units: number;
  /** How long after the race starts the process is killed. */
  readonly killAfterMs: number;
  /** The longest a buyer keeps trying, and the recovery bound after which nothing may be left PENDING. */
  readonly buyerTimeoutMs: number;
  readonly recoveryTimeoutMs: number;
  readonly settleMs: number;
}

/** What one round measured and found. */
export interface RoundResult {
  readonly target: string;
  readonly servingAgainMs: number | undefined;
  readonly firstCheckoutMs: number | undefined;
  readonly outcomes: Record<Outcome['state'], number>;
  readonly audit: AuditResult;
  readonly markers: CartMarker[];
  readonly errors: string[];
}

/** Checks out a probe product again and again from the kill on; resolves to the time from the kill to the first CONFIRMED order. */
async function firstCheckoutAfter(clients: ShopClients, probe: { buyer: Buyer; productId: string }, killedAt: number, timeoutMs: number): Promise<number | undefined> {
  const headers = { authorization: `Bearer ${probe.buyer.token}` };
  while (Date.now() - killedAt < timeoutMs) {
    try {
      await clients.gateway.addCartItem({ productId: probe.productId, quantity: 1 }, { headers, timeoutMs: 3_000 });
      const { order } = await clients.gateway.checkout({ idempotencyKey: randomUUID(), shippingAddressLines: ['1 Probe Road'] }, { headers, timeoutMs: 5_000 });
      if (order?.state === OrderState.CONFIRMED) return Date.now() - killedAt;
    } catch {
      // the system is still recovering
    }
    await sleep(100);
  }
  return undefined;
}

/** One round: buyers race for the units through the gateway while the target is killed with SIGKILL; then recovery is timed and the result audited. */
export async function chaosRound(system: LaunchedSystem, clients: ShopClients, target: string, settings: RoundSettings, markerProductId: string): Promise<RoundResult> {
  const product = await createRaceProduct(clients, target, settings.units);
  const probeProduct = await createRaceProduct(clients, `${target} probe`, 100_000);
  const [probeBuyer, ...buyers] = await createBuyers(clients, system.jwtSecret, settings.buyers + 1);
  const race = Promise.all(buyers.map((buyer) => buy(clients, buyer, product.id, settings.buyerTimeoutMs)));
  await sleep(settings.killAfterMs);
  const errors: string[] = [];
  const killedAt = Date.now();
  const killedPid = killProcess(system, target);
  const [servingAgainMs, firstCheckoutMs] = await Promise.all([
    waitServingAgain(system, target, killedPid, killedAt, settings.recoveryTimeoutMs).catch((error: unknown) => {
      errors.push(String(error));
      return undefined;
    }),
    firstCheckoutAfter(clients, { buyer: probeBuyer!, productId: probeProduct.id }, killedAt, settings.recoveryTimeoutMs),
  ]);
  const results = await race;
  const outcomes = { CONFIRMED: 0, REJECTED: 0, PENDING: 0, FAILED: 0 };
  for (const result of results) outcomes[result.state] += 1;
  for (const failed of results.filter((result) => result.state === 'FAILED').slice(0, 3)) errors.push(`buyer gave up: ${failed.error ?? 'no order'}`);
  const audit = await auditRound(clients, product, settings.units, buyers, settings.settleMs);
  const markers = await placeCartMarkers(clients, await confirmedBuyers(clients, buyers), markerProductId);
  return { target, servingAgainMs, firstCheckoutMs, outcomes, audit, markers, errors };
}
