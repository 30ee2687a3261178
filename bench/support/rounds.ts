import { parseArgs } from 'node:util';
import { runClosedLoop, type Operation } from './closed-loop.js';
import { summarize, type PhaseStats } from './stats.js';

/** The options every side-by-side load benchmark takes. */
export interface RoundsOptions {
  readonly seconds: number;
  readonly rounds: number;
  readonly callers: number;
  readonly out: string;
}

/** Reads --seconds, --rounds, --callers and --out (printing the usage and exiting on --help). */
export function roundsOptions(usage: string, defaultOut: string): RoundsOptions {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      callers: { type: 'string', default: '2' },
      out: { type: 'string', default: defaultOut },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return { seconds: Number(values.seconds), rounds: Number(values.rounds), callers: Number(values.callers), out: values.out! };
}

/** Runs every operation at once for the given rounds and summarizes each one over all of them. */
export async function runRounds(operations: readonly Operation[], options: RoundsOptions): Promise<Map<string, PhaseStats>> {
  const durationMs = options.seconds * 1000;
  const latencies = new Map(operations.map((operation) => [operation.name, [] as number[]]));
  const failures = new Map(operations.map((operation) => [operation.name, {} as Record<string, number>]));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const [name, sample] of await runClosedLoop(operations, durationMs)) {
      latencies.get(name)!.push(...sample.latenciesMs);
      for (const [status, count] of Object.entries(sample.failures)) failures.get(name)![status] = (failures.get(name)![status] ?? 0) + count;
    }
  }
  return new Map([...latencies].map(([name, samples]) => [name, summarize(samples, failures.get(name)!, durationMs * options.rounds)]));
}
