import { describe, expect, it } from '@jest/globals';
import { figuresFromLog, grpcFrame } from '../load/h2load.js';

describe('bench/load h2load support', () => {
  it('frames a message as gRPC does: no compression flag, a 4-byte big-endian length, the bytes', () => {
    expect([...grpcFrame(new Uint8Array([10, 1, 97]))]).toEqual([0, 0, 0, 0, 3, 10, 1, 97]);
  });

  it('counts answered requests per second and their percentiles, keeping unfinished and failed requests apart', () => {
    const lines = [
      ...Array.from({ length: 98 }, (_, index) => `1796111350168594\t200\t${(index + 1) * 1000}`),
      '1796111350168595\t503\t100',
      '1796111350168595\t0\t47853',
    ];
    const figures = figuresFromLog(`${lines.join('\n')}\n`, 2);
    expect(figures).toEqual({ requestsPerSecond: 49, p50Ms: 49, p99Ms: 98, requests: 100, failed: 1, unfinished: 1 });
  });
});
