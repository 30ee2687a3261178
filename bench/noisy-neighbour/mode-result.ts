import { PHASES, type Phase } from './attacks.js';
import type { PhaseMeasurement } from './prepared-mode.js';
import { summarize, type PhaseStats } from '../support/stats.js';
import type { Mode } from './topologies.js';

/** Every phase's figures for one mode, by phase and operation, pooled over the rounds. */
export interface ModeResult {
  readonly mode: Mode;
  readonly description: string;
  readonly phases: Record<Phase, Record<string, PhaseStats>>;
  /** What the attack got done in each phase, round by round. */
  readonly attackWork: Record<Phase, string>;
}

function pooledStats(measurements: readonly PhaseMeasurement[]): Record<string, PhaseStats> {
  const durationMs = measurements.reduce((sum, measurement) => sum + measurement.durationMs, 0);
  const operations = new Set(measurements.flatMap((measurement) => [...measurement.samples.keys()]));
  return Object.fromEntries(
    [...operations].map((operation) => {
      const samples = measurements.map((measurement) => measurement.samples.get(operation)!);
      const latencies = samples.flatMap((sample) => sample.latenciesMs);
      const failures: Record<string, number> = {};
      for (const [name, count] of samples.flatMap((sample) => Object.entries(sample.failures))) failures[name] = (failures[name] ?? 0) + count;
      return [operation, summarize(latencies, failures, durationMs)];
    }),
  );
}

/** Pools each phase's measurements from every round into one result for the mode. */
export function modeResult(mode: Mode, description: string, measurements: Record<Phase, PhaseMeasurement[]>): ModeResult {
  const phases = Object.fromEntries(PHASES.map((phase) => [phase, pooledStats(measurements[phase])])) as ModeResult['phases'];
  const attackWork = Object.fromEntries(PHASES.map((phase) => [phase, measurements[phase].map((measurement) => measurement.work).join(' / ')])) as ModeResult['attackWork'];
  return { mode, description, phases, attackWork };
}
