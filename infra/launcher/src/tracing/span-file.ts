import { readFile } from 'node:fs/promises';
import { spansOfRecords } from './span-records.js';
import type { StoredSpan } from './stored-span.js';

/** Every span in a receiver's file, decoded now (none when the file does not exist yet). */
export async function readSpans(spansFile: string): Promise<StoredSpan[]> {
  const file = await readFile(spansFile).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(error)));
  return spansOfRecords(file);
}

/** The spans of one trace. */
export function spansOfTrace(spans: readonly StoredSpan[], traceId: string): StoredSpan[] {
  return spans.filter((span) => span.traceId === traceId);
}

/**
 * The trace ids an id names: itself when it is a 32-hex trace id, else the traces with a span carrying it as an
 * attribute value (an order id on a saga span, an event id on a publish span), newest first.
 */
export function traceIdsFor(spans: readonly StoredSpan[], id: string): string[] {
  const wanted = id.trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(wanted)) return [wanted];
  const matching = spans.filter((span) => Object.values(span.attributes).some((value) => String(value).toLowerCase() === wanted));
  const newestFirst = [...matching].sort((a, b) => (BigInt(b.startTimeUnixNano) > BigInt(a.startTimeUnixNano) ? 1 : -1));
  return [...new Set(newestFirst.map((span) => span.traceId))];
}
