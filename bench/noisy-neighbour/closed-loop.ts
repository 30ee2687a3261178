/** One kind of call the load makes. */
export interface Operation {
  readonly name: string;
  call(): Promise<unknown>;
}

/** Latencies of every call of one operation (failed ones included) and how many failed. */
export interface OperationSamples {
  readonly latenciesMs: number[];
  errors: number;
}

/**
 * Closed-loop load: every operation gets `callersPerOperation` callers of its own, each making one call at a time
 * until `durationMs` has passed (so a slow operation does not hold back the others). Returns samples by operation.
 */
export async function runClosedLoop(operations: readonly Operation[], callersPerOperation: number, durationMs: number): Promise<Map<string, OperationSamples>> {
  const samples = new Map(operations.map((operation) => [operation.name, { latenciesMs: [], errors: 0 } as OperationSamples]));
  const endsAt = performance.now() + durationMs;
  const caller = async (operation: Operation) => {
    const sample = samples.get(operation.name)!;
    while (performance.now() < endsAt) {
      const started = performance.now();
      try {
        await operation.call();
      } catch {
        sample.errors += 1;
      }
      sample.latenciesMs.push(performance.now() - started);
    }
  };
  await Promise.all(operations.flatMap((operation) => Array.from({ length: callersPerOperation }, () => caller(operation))));
  return samples;
}
