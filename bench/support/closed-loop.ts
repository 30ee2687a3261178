import { Code, ConnectError } from '@connectrpc/connect';

/** One kind of call the load makes, and how many callers make it at once. */
export interface Operation {
  readonly name: string;
  readonly callers: number;
  call(): Promise<unknown>;
}

/** Latencies of every call of one operation (failed ones included) and the failures by gRPC status. */
export interface OperationSamples {
  readonly latenciesMs: number[];
  /** Failed calls by status name ("deadline_exceeded", "unavailable", ...). */
  readonly failures: Record<string, number>;
}

/** The gRPC status name of a failed call, in snake case as the report spells it. */
export function failureName(error: unknown): string {
  const name = Code[ConnectError.from(error).code] ?? 'unknown';
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Closed-loop load: every operation gets its own callers, each making one call at a time until `durationMs` has
 * passed (so a slow operation does not hold back the others). Returns samples by operation.
 */
export async function runClosedLoop(operations: readonly Operation[], durationMs: number): Promise<Map<string, OperationSamples>> {
  const samples = new Map(operations.map((operation) => [operation.name, { latenciesMs: [], failures: {} } as OperationSamples]));
  const endsAt = performance.now() + durationMs;
  const caller = async (operation: Operation) => {
    const sample = samples.get(operation.name)!;
    while (performance.now() < endsAt) {
      const started = performance.now();
      try {
        await operation.call();
      } catch (error) {
        const name = failureName(error);
        sample.failures[name] = (sample.failures[name] ?? 0) + 1;
      }
      sample.latenciesMs.push(performance.now() - started);
    }
  };
  await Promise.all(operations.flatMap((operation) => Array.from({ length: operation.callers }, () => caller(operation))));
  return samples;
}
