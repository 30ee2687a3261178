import { AsyncLocalStorage } from 'node:async_hooks';
import { context as traceContexts } from '@opentelemetry/api';

/** What a server call hands to the code it runs: its deadline and request headers. */
export interface CallContext {
  /** Absolute deadline in epoch milliseconds, when the caller set one. */
  readonly deadline?: number;
  /** The incoming request headers (gRPC metadata). */
  readonly requestHeader: Headers;
}

const storage = new AsyncLocalStorage<CallContext>();

/** Runs fn with the given call context visible to every client call it makes. */
export function runInCallContext<T>(context: CallContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the server call being handled, if any. */
export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}

/** Milliseconds left before the current call's deadline, or undefined when it has none. */
export function remainingDeadlineMs(now = Date.now()): number | undefined {
  const deadline = storage.getStore()?.deadline;
  return deadline === undefined ? undefined : Math.max(0, deadline - now);
}

/**
 * Captures what later work on this caller's behalf must run in, its trace context and its server call's context
 * (deadline, headers), and returns a runner of functions inside both: a batch its request joined, a checkout that
 * waited for admission. It costs two store reads, where AsyncLocalStorage.snapshot() builds an AsyncResource per call
 * (several microseconds and a GC-tracked object each).
 */
export function callersContext(): <T>(fn: () => T) => T {
  const trace = traceContexts.active();
  const call = storage.getStore();
  return (fn) => traceContexts.with(trace, () => (call ? storage.run(call, fn) : storage.exit(fn)));
}

