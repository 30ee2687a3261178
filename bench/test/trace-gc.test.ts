import { describe, expect, it } from '@jest/globals';
import { scavengePauseMs } from '../load/trace-gc.js';

describe('bench/load --trace-gc lines', () => {
  it("reads a scavenge's main-thread pause as Node 24 prints it, with the pooled figure", () => {
    const line = '[3709:0x18950000]       45 ms: Scavenge 4.8 (5.6) -> 3.9 (6.6) MB, pooled: 0 MB, 0.35 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ';
    expect(scavengePauseMs(line)).toBe(0.35);
  });

  it('reads it without the pooled figure, as older V8 versions print it, and for an interleaved scavenge', () => {
    expect(scavengePauseMs('[77:0x5d1c]     1203 ms: Scavenge 12.1 (14.3) -> 11.0 (15.3) MB, 1.72 / 0.00 ms  (average mu = 0.99) allocation failure;')).toBe(1.72);
    expect(scavengePauseMs('[77:0x5d1c]     1503 ms: Scavenge (interleaved) 30.2 (33.0) -> 28.9 (33.5) MB, pooled: 1 MB, 2.05 / 0.40 ms  (average mu = 0.9) allocation failure;')).toBe(2.05);
  });

  it('ignores mark-compacts and the service\'s own log lines', () => {
    expect(scavengePauseMs('[3735:0x3928e000]       72 ms: Mark-Compact 26.2 (35.3) -> 22.2 (55.8) MB, pooled: 0 MB, 7.57 / 0.00 ms  (+ 0.1 ms in 97 steps) allocation failure;')).toBeUndefined();
    expect(scavengePauseMs('{"level":20,"method":"/shop.product.v1.ProductService/GetProduct","code":"OK","durationMs":1,"msg":"call"}')).toBeUndefined();
  });
});
