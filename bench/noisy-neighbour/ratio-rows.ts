import { PHASES, type Phase } from './attacks.js';
import type { ModeResult } from './mode-result.js';
import { ratiosTo, type Ratios } from '../support/stats.js';
import type { Mode } from './topologies.js';

/** One operation in one phase of one mode, as ratios to that mode's idle baseline, with its failed calls. */
export interface RatioRow {
  readonly operation: string;
  readonly phase: Phase;
  readonly mode: Mode;
  readonly ratios: Ratios;
  readonly errors: number;
}

/** Every (mode, phase, operation) of the results as ratios to the same mode's and operation's idle phase. */
export function ratioRows(results: readonly ModeResult[]): RatioRow[] {
  return results.flatMap((result) =>
    PHASES.flatMap((phase) =>
      Object.entries(result.phases[phase]).map(([operation, stats]) => ({
        operation,
        phase,
        mode: result.mode,
        ratios: ratiosTo(result.phases.idle[operation]!, stats),
        errors: stats.errors,
      })),
    ),
  );
}
