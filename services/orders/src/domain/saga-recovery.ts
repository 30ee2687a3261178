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

/** Resumes unfinished sagas (after a crash, or a dependency outage) now and then every interval. */
export function startSagaRecovery(store: OrderStore, saga: CheckoutSaga, options: SagaRecoveryOptions): SagaRecovery {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);
  let stopped = false;
  const runOnce = async (): Promise<number> => {
    const due = await store.claimDueSagas(options.batchSize ?? 20, options.leaseMs);
    for (const order of due) await inSpan('saga.resume', { 'order.id': order.id, 'saga.attempts': order.sagaAttempts }, () => saga.advance(order));
    return due.length;
  };
  const tick = () => {
    running = runOnce().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'saga recovery pass failed');
      return 0;
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
