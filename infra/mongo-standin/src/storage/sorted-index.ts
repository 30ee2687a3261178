import { compareKeys, compareKeyValues } from './key-order.js';

interface Entry {
  key: unknown[];
  id: string;
}

/** The range one index field is scanned over; a point when `low` and `high` are the same value. */
export interface FieldInterval {
  low: unknown;
  high: unknown;
  lowInclusive: boolean;
  highInclusive: boolean;
}

function compareEntries(left: Entry, right: Entry): number {
  const order = compareKeys(left.key, right.key);
  if (order !== 0 || left.key.length !== right.key.length) return order;
  return left.id === right.id ? 0 : left.id < right.id ? -1 : 1;
}

/** An ordered index: (key, document id) entries in a sorted array, found by binary search. */
export class SortedIndex {
  private readonly entries: Entry[] = [];
  /** Set once a document had more than one key (an array value): ranges on the index may not be intersected. */
  multikey = false;

  /** Number of entries (a multikey document has one per key). */
  get size(): number {
    return this.entries.length;
  }

  /** Adds the document's keys. */
  add(id: string, keys: readonly unknown[][]): void {
    if (keys.length > 1) this.multikey = true;
    for (const key of keys) {
      const entry = { key, id };
      this.entries.splice(this.firstAtOrAfter(entry), 0, entry);
    }
  }

  /** Removes the document's keys. */
  remove(id: string, keys: readonly unknown[][]): void {
    for (const key of keys) {
      const at = this.firstAtOrAfter({ key, id });
      const found = this.entries[at];
      if (found && found.id === id && compareEntries(found, { key, id }) === 0) this.entries.splice(at, 1);
    }
  }

  /** The ids of documents whose key lies within the intervals of the leading fields (all points but the last), in key order, without repeats. */
  scan(intervals: readonly FieldInterval[]): string[] {
    const low = intervals.map((interval) => interval.low);
    const high = intervals.map((interval) => interval.high);
    const ids = new Set<string>();
    for (let at = this.lowerBound(low); at < this.entries.length; at += 1) {
      const entry = this.entries[at] as Entry;
      if (compareKeys(entry.key, high) > 0) break;
      if (within(entry.key, intervals)) ids.add(entry.id);
    }
    return [...ids];
  }

  /** Every id in key order. */
  all(): string[] {
    return [...new Set(this.entries.map((entry) => entry.id))];
  }

  private lowerBound(probe: unknown[]): number {
    let [from, to] = [0, this.entries.length];
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (compareKeys((this.entries[middle] as Entry).key, probe) < 0) from = middle + 1;
      else to = middle;
    }
    return from;
  }

  private firstAtOrAfter(entry: Entry): number {
    let [from, to] = [0, this.entries.length];
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (compareEntries(this.entries[middle] as Entry, entry) < 0) from = middle + 1;
      else to = middle;
    }
    return from;
  }
}

function within(key: readonly unknown[], intervals: readonly FieldInterval[]): boolean {
  return intervals.every((interval, at) => {
    const low = compareKeyValues(key[at], interval.low);
    const high = compareKeyValues(key[at], interval.high);
    return (interval.lowInclusive ? low >= 0 : low > 0) && (interval.highInclusive ? high <= 0 : high < 0);
  });
}
