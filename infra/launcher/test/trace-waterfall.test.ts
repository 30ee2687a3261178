import { describe, expect, it } from '@jest/globals';
import { traceIdsFor } from '../src/tracing/span-file.js';
import type { StoredSpan } from '../src/tracing/stored-span.js';
import { formatWaterfall } from '../src/tracing/waterfall.js';

const traceId = 'a'.repeat(32);
const span = (spanId: string, parentSpanId: string, name: string, service: string, fromMs: number, toMs: number, attributes: StoredSpan['attributes'] = {}): StoredSpan => ({
  traceId,
  spanId,
  parentSpanId,
  name,
  kind: 2,
  service,
  startTimeUnixNano: String(BigInt(1_700_000_000_000 + fromMs) * 1_000_000n),
  endTimeUnixNano: String(BigInt(1_700_000_000_000 + toMs) * 1_000_000n),
  statusCode: 0,
  attributes,
  links: [],
});

describe('npm run trace', () => {
  const spans = [
    span('0000000000000003', '0000000000000001', 'ReserveStock', 'products', 60, 100),
    span('0000000000000001', 'ffffffffffffffff', 'Checkout', 'gateway', 0, 100),
    span('0000000000000002', '0000000000000001', 'CreateOrder', 'orders', 10, 50, { 'order.id': 'order-42' }),
  ];

  it('finds a trace by its id or by an attribute value such as an order id', () => {
    expect(traceIdsFor(spans, traceId.toUpperCase())).toEqual([traceId]);
    expect(traceIdsFor(spans, 'order-42')).toEqual([traceId]);
    expect(traceIdsFor(spans, 'order-43')).toEqual([]);
  });

  it('prints children under their parent in start order, with bars on the time line of the trace', () => {
    const lines = formatWaterfall(spans, 10).split('\n');
    expect(lines[0]).toBe(`trace ${traceId}: 3 spans, 100.0 ms`);
    expect(lines.slice(1).map((line) => line.slice(0, '  ReserveStock'.length).trimEnd())).toEqual(['Checkout', '  CreateOrder', '  ReserveStock']);
    expect(lines.slice(1).map((line) => line.slice(line.indexOf('|')))).toEqual(['|██████████|', '| ████     |', '|      ████|']);
  });
});
