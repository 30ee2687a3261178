import { durationMs, type StoredSpan } from './stored-span.js';

const kinds = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * A trace as a terminal waterfall: spans as a tree (children under their parent, in start order), each with its
 * service, kind, duration and a bar placed on the trace's time line. Spans whose parent was not received are roots.
 */
export function formatWaterfall(spans: readonly StoredSpan[], width = 40): string {
  if (spans.length === 0) return 'no spans';
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const byStart = (a: StoredSpan, b: StoredSpan) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1);
  const start = spans.map((span) => BigInt(span.startTimeUnixNano)).reduce((a, b) => (b < a ? b : a));
  const end = spans.map((span) => BigInt(span.endTimeUnixNano)).reduce((a, b) => (b > a ? b : a));
  const total = Number(end - start) || 1;
  const rows: Array<{ label: string; span: StoredSpan }> = [];
  const walk = (parent: string, depth: number) => {
    for (const span of [...(children.get(parent) ?? [])].sort(byStart)) {
      rows.push({ label: `${'  '.repeat(depth)}${span.name}`, span });
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  const labelWidth = Math.min(70, Math.max(...rows.map((row) => row.label.length)));
  const serviceWidth = Math.max(...rows.map((row) => row.span.service.length));
  const lines = rows.map(({ label, span }) => {
    const from = Math.floor((Number(BigInt(span.startTimeUnixNano) - start) / total) * width);
    const length = Math.max(1, Math.round((Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / total) * width));
    const bar = `${' '.repeat(Math.min(from, width - 1))}${'█'.repeat(Math.min(length, width - Math.min(from, width - 1)))}`.padEnd(width);
    const failed = span.statusCode === 2 ? ' ERROR' : '';
    return `${label.slice(0, labelWidth).padEnd(labelWidth)}  ${span.service.padEnd(serviceWidth)}  ${kinds[span.kind]!.padEnd(8)} ${durationMs(span).toFixed(1).padStart(8)} ms |${bar}|${failed}`;
  });
  return [`trace ${spans[0]!.traceId}: ${spans.length} spans, ${(total / 1e6).toFixed(1)} ms`, ...lines].join('\n');
}
