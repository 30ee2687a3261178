import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BSON, type Document } from 'bson';
import { Journal, readJournal, truncateFile } from './journal.js';
import type { StoredOperation } from './operations.js';
import { Store } from './store.js';

const SNAPSHOT_FILE = 'snapshot.bson';
const JOURNAL_FILE = 'journal.bson';
const SNAPSHOT_CHUNK = 100;

/** How big the journal may grow (by default) before it is folded into a fresh snapshot. */
export const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/** The store plus its durable form: a snapshot file and an fsync'ed journal of commits since. */
export class Persistence {
  private compacting: Promise<void> | undefined;

  private constructor(
    readonly store: Store,
    private readonly dataDir: string,
    private readonly journal: Journal,
    private readonly compactAfterBytes: number,
  ) {}

  /** Loads the snapshot, replays the journal (dropping a torn tail), folds it into a fresh snapshot and opens it for appends. */
  static async open(dataDir: string, log: (line: string) => void, compactAfterBytes = COMPACT_AFTER_BYTES): Promise<Persistence> {
    mkdirSync(dataDir, { recursive: true });
    const store = new Store();
    for (const entry of readJournal(join(dataDir, SNAPSHOT_FILE)).entries) store.apply(entry.ops as StoredOperation[]);
    const journalPath = join(dataDir, JOURNAL_FILE);
    const journal = readJournal(journalPath);
    for (const entry of journal.entries) store.apply(entry.ops as StoredOperation[]);
    if (journal.validLength < journal.totalLength) {
      log(`journal: discarding ${journal.totalLength - journal.validLength} bytes of an incomplete trailing entry`);
      truncateFile(journalPath, journal.validLength);
    }
    log(`data dir ${dataDir}: replayed ${journal.entries.length} journal entries`);
    const appender = await Journal.open(journalPath, journal.validLength);
    syncDirectory(dataDir);
    const persistence = new Persistence(store, dataDir, appender, compactAfterBytes);
    if (journal.entries.length > 0) await persistence.compact();
    return persistence;
  }

  /** Applies a commit to memory and queues it for the journal; callers await `sync()` before acknowledging. */
  commit(operations: StoredOperation[]): void {
    if (operations.length === 0) return;
    this.store.apply(operations);
    this.journal.append({ ops: operations });
  }

  /** Resolves once every commit so far is durable, compacting the journal when it has grown large. */
  async sync(): Promise<void> {
    await this.journal.sync();
    if (this.journal.size > this.compactAfterBytes) {
      this.compacting ??= this.compact().finally(() => (this.compacting = undefined));
      await this.compacting;
    }
  }

  /** What durability is waiting for, for a log line: the journal's state, and a compaction if one runs. */
  describeDurability(): string {
    return `journal: ${this.journal.describe()}${this.compacting ? '; compacting into a new snapshot' : ''}`;
  }

  /** Writes the whole state as a new snapshot, then empties the journal. */
  async compact(): Promise<void> {
    await this.journal.idle();
    this.writeSnapshot();
    this.journal.truncateWritten();
  }

  /** Flushes outstanding commits and closes the journal. */
  async close(): Promise<void> {
    await this.journal.close();
  }

  private writeSnapshot(): void {
    const temporary = join(this.dataDir, `${SNAPSHOT_FILE}.tmp`);
    const descriptor = openSync(temporary, 'w');
    try {
      for (const chunk of chunked(this.store.describe(), SNAPSHOT_CHUNK)) writeSync(descriptor, snapshotEntry(chunk));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, join(this.dataDir, SNAPSHOT_FILE));
    syncDirectory(this.dataDir);
  }
}

function snapshotEntry(operations: StoredOperation[]): Uint8Array {
  const entry: Document = { ops: operations };
  return BSON.serialize(entry);
}

function* chunked<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function syncDirectory(path: string): void {
  const descriptor = openSync(path, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
