import { BSON, Long, type Document } from 'bson';
import { randomInt } from 'node:crypto';

/** Default size of the first batch of `find` and `aggregate`, as in MongoDB. */
export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 15 * 1024 * 1024;

/** Cursors idle longer than this are closed, like MongoDB's `cursorTimeoutMillis`. */
export const CURSOR_TIMEOUT_MS = 10 * 60_000;

interface OpenCursor {
  namespace: string;
  remaining: Document[];
  lastUsed: number;
}

/** The `cursor` sub-document of a reply. */
export interface CursorReply {
  id: Long;
  ns: string;
  firstBatch?: Document[];
  nextBatch?: Document[];
}

/** Open cursors by id: results are computed up front and handed out in batches. */
export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();

  /** Returns the first batch and, when more remain, registers a cursor for getMore. */
  open(namespace: string, results: Document[], batchSize: number | undefined, singleBatch = false): CursorReply {
    const [batch, remaining] = takeBatch(results, batchSize ?? DEFAULT_FIRST_BATCH);
    const id = remaining.length === 0 || singleBatch ? 0 : this.register({ namespace, remaining, lastUsed: Date.now() });
    return { firstBatch: batch, id: Long.fromNumber(id), ns: namespace };
  }

  /** The namespace an open cursor reads, or undefined if no such cursor exists. */
  namespaceOf(id: number): string | undefined {
    return this.cursors.get(id)?.namespace;
  }

  /** The next batch of an open cursor, or undefined if no such cursor exists. */
  next(id: number, batchSize: number | undefined): CursorReply | undefined {
    const cursor = this.cursors.get(id);
    if (!cursor) return undefined;
    const [batch, remaining] = takeBatch(cursor.remaining, batchSize ?? Number.MAX_SAFE_INTEGER);
    cursor.remaining = remaining;
    cursor.lastUsed = Date.now();
    if (remaining.length === 0) this.cursors.delete(id);
    return { nextBatch: batch, id: Long.fromNumber(remaining.length === 0 ? 0 : id), ns: cursor.namespace };
  }

  /** Closes a cursor; returns whether it was open. */
  kill(id: number): boolean {
    return this.cursors.delete(id);
  }

  private register(cursor: OpenCursor): number {
    this.closeIdle();
    let id = 0;
    while (id === 0 || this.cursors.has(id)) id = randomInt(1, 2 ** 47);
    this.cursors.set(id, cursor);
    return id;
  }

  private closeIdle(): void {
    const cutoff = Date.now() - CURSOR_TIMEOUT_MS;
    for (const [id, cursor] of this.cursors) if (cursor.lastUsed < cutoff) this.cursors.delete(id);
  }
}

function takeBatch(results: Document[], batchSize: number): [Document[], Document[]] {
  const limit = batchSize <= 0 ? DEFAULT_FIRST_BATCH : batchSize;
  let bytes = 0;
  let count = 0;
  while (count < results.length && count < limit) {
    bytes += BSON.calculateObjectSize(results[count] as Document);
    if (count > 0 && bytes > MAX_BATCH_BYTES) break;
    count += 1;
  }
  return [results.slice(0, count), results.slice(count)];
}
