/**
 * The main-thread pause in ms of a young-generation collection that a Node process printed with --trace-gc, as V8
 * writes it (`[pid:isolate]  1234 ms: Scavenge 4.8 (5.6) -> 3.9 (6.6) MB, pooled: 0 MB, 0.35 / 0.00 ms  (...)`,
 * the pooled figure being one that only newer V8 versions print), or undefined for any other line, mark-compacts
 * included.
 */
export function scavengePauseMs(line: string): number | undefined {
  const scavenge = / ms: Scavenge\b.*? MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/.exec(line);
  return scavenge ? Number(scavenge[1]) : undefined;
}
