import { PHASE_DESCRIPTIONS, PHASES } from './attacks.js';
import type { BenchOptions } from './options.js';
import { CALL_TIMEOUT_MS } from './prepared-mode.js';
import { ratioRows, type RatioRow } from './ratio-rows.js';
import type { ModeResult } from './mode-result.js';

/** Facts about the run that the report states. */
export interface RunContext {
  readonly options: BenchOptions;
  readonly cpuNote: string;
  /** The machine's load average around the run (other work on the machine shows here). */
  readonly hostLoad: string;
  readonly startedAt: Date;
}

const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const ms = (value: number) => value.toFixed(2);

function ratioTable(rows: readonly RatioRow[], modes: readonly ModeResult[]): string[] {
  const [first, second] = modes.map((result) => result.mode);
  const header = `| operation | phase | ${first}: p50 | p99 | throughput | failed | ${second}: p50 | p99 | throughput | failed |`;
  const lines = [header, '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|'];
  const keys = [...new Set(rows.map((row) => `${row.operation}\u0000${row.phase}`))];
  for (const key of keys) {
    const [operation, phase] = key.split('\u0000') as [string, string];
    const cells = modes.map((result) => {
      const row = rows.find((candidate) => candidate.mode === result.mode && candidate.operation === operation && candidate.phase === phase)!;
      return `${times(row.ratios.p50)} | ${times(row.ratios.p99)} | ${times(row.ratios.throughput)} | ${row.errors}`;
    });
    lines.push(`| ${operation} | ${phase} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function failureLines(modes: readonly ModeResult[]): string[] {
  const lines: string[] = [];
  for (const result of modes) {
    for (const phase of PHASES) {
      const failed = Object.entries(result.phases[phase])
        .filter(([, stats]) => stats.errors > 0)
        .map(([operation, stats]) => `${operation} ${stats.errors} of ${stats.calls} (${Object.entries(stats.failures).map(([name, count]) => `${count} ${name}`).join(', ')})`);
      lines.push(`- ${result.mode}, ${phase}: ${failed.length > 0 ? failed.join('; ') : 'none'}`);
    }
  }
  return lines;
}

function baselineTable(modes: readonly ModeResult[]): string[] {
  const lines = ['| mode | operation | p50 ms | p99 ms | calls/s |', '|---|---|--:|--:|--:|'];
  for (const result of modes) {
    for (const [operation, stats] of Object.entries(result.phases.idle)) {
      lines.push(`| ${result.mode} | ${operation} | ${ms(stats.p50Ms)} | ${ms(stats.p99Ms)} | ${stats.throughputPerSecond.toFixed(0)} |`);
    }
  }
  return lines;
}

/** The report of a run: ratios side by side for both modes, failed calls by phase, the idle baselines, and what each phase and mode was. */
export function markdownReport(modes: readonly ModeResult[], context: RunContext): string {
  const { options } = context;
  return [
    `# Noisy neighbour: users and products while the orders database is busy`,
    '',
    `Run ${context.startedAt.toISOString()}: ${options.callersPerOperation} closed-loop callers per measured operation and ${options.ordersCallers} per orders read; shared-mode pool of ${options.poolSize} server connections; every phase measured ${options.rounds}× ${options.phaseSeconds} s, modes and phases interleaved round by round; ${options.users} users, ${options.products} products, ${options.orders} orders rows; ${options.reportingConnections} reporting connections.`,
    '',
    `CPUs: ${context.cpuNote}. Host: ${context.hostLoad}.`,
    '',
    `Ratios to the same mode's idle baseline (latency: higher is worse; throughput: lower is worse). "failed" counts calls that failed or passed their ${CALL_TIMEOUT_MS / 1000} s deadline; failed calls keep their latency in the percentiles.`,
    '',
    'products.GetProduct is the control: products runs on the Mongo stand-in and shares no database with orders in either mode, so its ratios show what the machine itself (CPUs, disk, other work on it) adds to any change. orders.GetOrder and orders.ListOrders are the attacked service\'s own reads, running in every phase (idle included).',
    '',
    ...ratioTable(ratioRows(modes), modes),
    '',
    'Failed calls by phase:',
    '',
    ...failureLines(modes),
    '',
    'Idle baselines:',
    '',
    ...baselineTable(modes),
    '',
    'Phases:',
    '',
    ...PHASES.map((phase) => `- **${phase}**: ${PHASE_DESCRIPTIONS[phase].replace('N connections', `${options.reportingConnections} connections`)}`),
    '',
    'Modes:',
    '',
    ...modes.map((result) => `- **${result.mode}**: ${result.description}. Attack work: ${PHASES.slice(1).map((phase) => `${phase}: ${result.attackWork[phase]}`).join('; ')}.`),
    '',
  ].join('\n');
}
