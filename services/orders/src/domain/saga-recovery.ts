import { inSpan } from '@shop/runtime/tracing';
import type { CheckoutSaga } from './checkout-saga.js';
import type { DomainLogger, OrderStore } from './ports.js';

/** Tuning of the recovery loop. */
export interface SagaRecoveryOptions {
  readonly intervalMs: number;
  /** How long a claimed saga is left to this instance before another may pick it up. */
  readonly leaseMs: number;
  readonly batchSize?: number;
  readonly logger: DomainLogger;
}

/** A running recovery loop. */
export interface SagaRecovery {
  /** Runs one pass now; resolves with how many sagas it advanced. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Resumes unfinished sagas (after a crash, or a dependency outage) now and then every interval: each claimed batch
 * advances at once, and a full batch is followed by the next without waiting, so a backlog clears at the peers' pace.
 */
export function startSagaRecovery(store: OrderStore, saga: CheckoutSaga, options: SagaRecoveryOptions): SagaRecovery {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const batchSize = options.batchSize ?? 20;
  const runOnce = async (): Promise<number> => {
    const due = await store.claimDueSagas(batchSize, options.leaseMs);
    const outcomes = await Promise.allSettled(due.map((order) => inSpan('saga.resume', { 'order.id': order.id, 'saga.attempts': order.sagaAttempts }, () => saga.advance(order))));
    for (const outcome of outcomes) if (outcome.status === 'rejected') options.logger.warn({ err: outcome.reason }, 'saga could not be advanced; it stays due');
    return due.length;
  };
  const drain = async (): Promise<void> => {
    while (!stopped && (await runOnce()) === batchSize);
  };
  const tick = () => {
    running = drain().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'saga recovery pass failed');
    });
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    });
  };
  tick();
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
