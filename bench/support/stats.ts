/** Latency and throughput of one operation in one phase. */
export interface PhaseStats {
  readonly calls: number;
  readonly errors: number;
  /** Failed calls by gRPC status name. */
  readonly failures: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Successful calls per second. */
  readonly throughputPerSecond: number;
}

/** A phase's figures divided by the same operation's idle baseline in the same mode. */
export interface Ratios {
  readonly p50: number;
  readonly p99: number;
  readonly throughput: number;
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[rank - 1]!;
}

/** Summarizes the latencies (ms) and failures of calls made during durationMs. */
export function summarize(latenciesMs: readonly number[], failures: Record<string, number>, durationMs: number): PhaseStats {
  const ascending = [...latenciesMs].sort((a, b) => a - b);
  const errors = Object.values(failures).reduce((sum, count) => sum + count, 0);
  return {
    calls: ascending.length,
    errors,
    failures,
    p50Ms: percentile(ascending, 50),
    p99Ms: percentile(ascending, 99),
    throughputPerSecond: ((ascending.length - errors) * 1000) / durationMs,
  };
}

/** The phase's p50, p99 and throughput as multiples of the baseline's. */
export function ratiosTo(baseline: PhaseStats, phase: PhaseStats): Ratios {
  return {
    p50: phase.p50Ms / baseline.p50Ms,
    p99: phase.p99Ms / baseline.p99Ms,
    throughput: phase.throughputPerSecond / baseline.throughputPerSecond,
  };
}
