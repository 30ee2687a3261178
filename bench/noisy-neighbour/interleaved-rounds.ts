import { PHASES, type Phase } from './attacks.js';
import { modeResult, type ModeResult } from './mode-result.js';
import type { BenchOptions } from './options.js';
import { measurePhase, type PhaseMeasurement, type PreparedMode } from './prepared-mode.js';

/**
 * Measures every phase of every mode once per round, modes alternating within a round, so slow drifts of the
 * machine's load fall on both modes alike; returns each mode's pooled result.
 */
export async function measureInterleaved(modes: readonly PreparedMode[], options: BenchOptions, log: (line: string) => void): Promise<ModeResult[]> {
  const measurements = modes.map(() => Object.fromEntries(PHASES.map((phase) => [phase, [] as PhaseMeasurement[]])) as Record<Phase, PhaseMeasurement[]>);
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const [index, prepared] of modes.entries()) {
      for (const phase of PHASES) {
        log(`round ${round}/${options.rounds}: ${prepared.mode}, ${phase}`);
        measurements[index]![phase].push(await measurePhase(prepared, phase, options));
      }
    }
  }
  return modes.map((prepared, index) => modeResult(prepared.mode, prepared.description, measurements[index]!));
}
