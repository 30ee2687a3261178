import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from '@jest/globals';
import type { Phase } from '../noisy-neighbour/attacks.js';
import { failureName, type OperationSamples } from '../support/closed-loop.js';
import { markdownReport } from '../noisy-neighbour/markdown-report.js';
import { modeResult } from '../noisy-neighbour/mode-result.js';
import type { BenchOptions } from '../noisy-neighbour/options.js';
import type { PhaseMeasurement } from '../noisy-neighbour/prepared-mode.js';
import { ratioRows } from '../noisy-neighbour/ratio-rows.js';
import { percentile, ratiosTo, summarize } from '../support/stats.js';

function measurement(latenciesMs: number[], deadlinesExceeded = 0, durationMs = 1_000): PhaseMeasurement {
  const failures: Record<string, number> = deadlinesExceeded > 0 ? { deadline_exceeded: deadlinesExceeded } : {};
  const samples = new Map<string, OperationSamples>([['users.GetUser', { latenciesMs, failures }]]);
  return { samples, durationMs, work: 'work' };
}

function measurements(idle: number[], attacked: number[]): Record<Phase, PhaseMeasurement[]> {
  return { idle: [measurement(idle)], reporting: [measurement(attacked)], 'table-lock': [measurement(attacked, 1)], migration: [measurement(idle)] };
}

const options: BenchOptions = { phaseSeconds: 1, rounds: 1, callersPerOperation: 1, ordersCallers: 1, poolSize: 10, users: 1, products: 1, orders: 1, reportingConnections: 4, pinCpus: false, outDir: 'unused' };

describe('noisy-neighbour figures', () => {
  it('take nearest-rank percentiles of ascending latencies', () => {
    const ascending = Array.from({ length: 100 }, (_, index) => index + 1);
    expect([percentile(ascending, 50), percentile(ascending, 99), percentile([7], 99)]).toEqual([50, 99, 7]);
    expect(percentile([], 50)).toBeNaN();
  });

  it('count only successful calls in throughput, while failed calls keep their latency in the percentiles', () => {
    const stats = summarize([30, 10, 20, 2_000], { deadline_exceeded: 1 }, 2_000);
    expect(stats).toEqual({ calls: 4, errors: 1, failures: { deadline_exceeded: 1 }, p50Ms: 20, p99Ms: 2_000, throughputPerSecond: 1.5 });
  });

  it('express a phase as multiples of the idle baseline', () => {
    const baseline = summarize([10, 10], {}, 1_000);
    const slow = summarize([30, 40], {}, 2_000);
    expect(ratiosTo(baseline, slow)).toEqual({ p50: 3, p99: 4, throughput: 0.5 });
  });

  it('name a failed call by its gRPC status', () => {
    expect([failureName(new ConnectError('late', Code.DeadlineExceeded)), failureName(new Error('boom'))]).toEqual(['deadline_exceeded', 'unknown']);
  });

  it('pool the rounds of a phase before taking percentiles', () => {
    const rounds = { ...measurements([1], [1]), reporting: [measurement([10, 20]), measurement([30, 40])] };
    const result = modeResult('shared-database', 'one database', rounds);
    expect(result.phases.reporting['users.GetUser']).toMatchObject({ calls: 4, p50Ms: 20, p99Ms: 40, throughputPerSecond: 2 });
  });

  it('put both modes side by side in one row per operation and phase, each relative to its own idle phase', () => {
    const results = [modeResult('database-per-service', 'apart', measurements([10], [10])), modeResult('shared-database', 'together', measurements([5], [50]))];
    const rows = ratioRows(results).filter((row) => row.phase === 'reporting');
    expect(rows.map((row) => [row.mode, row.ratios.p99])).toEqual([
      ['database-per-service', 1],
      ['shared-database', 10],
    ]);
    const report = markdownReport(results, { options, cpuNote: 'cpus', hostLoad: 'load', startedAt: new Date(0) });
    expect(report).toContain('| users.GetUser | reporting | 1.00× | 1.00× | 1.00× | 0 | 10.00× | 10.00× | 1.00× | 0 |');
    expect(report).toContain('| users.GetUser | table-lock | 1.00× | 1.00× | 0.00× | 1 | 10.00× | 10.00× | 0.00× | 1 |');
    expect(report).toContain('- shared-database, table-lock: users.GetUser 1 of 1 (1 deadline_exceeded)');
    expect(report).toContain('- shared-database, reporting: none');
  });
});
