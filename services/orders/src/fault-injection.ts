import type { SagaCheckpoint } from './domain/checkout-saga.js';

/** Test-only fault injection (ORDERS_CRASH_AFTER_STEP): kills this process abruptly right after the named saga step. */
export function crashAfter(step: SagaCheckpoint | undefined): ((reached: SagaCheckpoint) => void) | undefined {
  if (!step) return undefined;
  return (reached) => {
    if (reached === step) process.kill(process.pid, 'SIGKILL');
  };
}
