import { closeSync, fsyncSync, openSync, readFileSync, existsSync, ftruncateSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { BSON, type Document } from 'bson';

/** Entries read back from a journal file, and the byte length of its valid prefix. */
export interface JournalContents {
  entries: Document[];
  validLength: number;
  totalLength: number;
}

/** Reads concatenated BSON entries, stopping at the first torn or corrupt one. */
export function readJournal(path: string): JournalContents {
  if (!existsSync(path)) return { entries: [], validLength: 0, totalLength: 0 };
  const bytes = readFileSync(path);
  const entries: Document[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const size = bytes.readInt32LE(offset);
    if (size < 5 || offset + size > bytes.length) break;
    const entry = tryDeserialize(bytes.subarray(offset, offset + size));
    if (!entry) break;
    entries.push(entry);
    offset += size;
  }
  return { entries, validLength: offset, totalLength: bytes.length };
}

function tryDeserialize(bytes: Buffer): Document | undefined {
  try {
    return BSON.deserialize(bytes);
  } catch {
    return undefined;
  }
}

/** Cuts a file back to the given length and makes that durable. */
export function truncateFile(path: string, length: number): void {
  const descriptor = openSync(path, 'r+');
  try {
    ftruncateSync(descriptor, length);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/** An append-only file of BSON entries with group commit: `sync()` resolves once everything appended so far is fsync'ed. */
export class Journal {
  private pending: Buffer[] = [];
  private appended = 0;
  private synced = 0;
  private flushing: Promise<void> | undefined;
  private flushStartedAt: number | undefined;

  private constructor(
    private readonly file: FileHandle,
    private bytesWritten: number,
  ) {}

  /** Opens (creating if needed) the journal for appending. */
  static async open(path: string, existingLength: number): Promise<Journal> {
    return new Journal(await open(path, 'a'), existingLength);
  }

  /** Bytes in the journal file, including entries not yet flushed. */
  get size(): number {
    return this.bytesWritten;
  }

  /** Queues an entry; it becomes durable by the time a later `sync()` resolves. */
  append(entry: Document): void {
    const bytes = Buffer.from(BSON.serialize(entry));
    this.pending.push(bytes);
    this.bytesWritten += bytes.length;
    this.appended += 1;
  }

  /** Resolves when every entry appended before the call is on disk. */
  async sync(): Promise<void> {
    const target = this.appended;
    while (this.synced < target) {
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
      await this.flushing;
    }
  }

  /** Resolves once no flush is writing; a synchronous `truncateWritten()` right after cannot race one. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Drops the entries already written (captured in a snapshot); queued ones are still written afterwards. Call only when idle. */
  truncateWritten(): void {
    ftruncateSync(this.file.fd, 0);
    fsyncSync(this.file.fd);
    this.bytesWritten = this.pending.reduce((total, bytes) => total + bytes.length, 0);
  }

  /** What the journal is doing, for a log line: entries not yet durable, and how long the running write has taken. */
  describe(): string {
    const unsynced = this.appended - this.synced;
    const waiting = `${unsynced} ${unsynced === 1 ? 'entry' : 'entries'} not yet durable`;
    return this.flushStartedAt === undefined ? `${waiting}, no write running` : `${waiting}, a write and fdatasync running for ${Math.round(performance.now() - this.flushStartedAt)} ms`;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.sync();
    await this.file.close();
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    const count = batch.length;
    this.pending = [];
    if (count > 0) {
      this.flushStartedAt = performance.now();
      try {
        await this.file.write(Buffer.concat(batch));
        await this.file.datasync();
      } finally {
        this.flushStartedAt = undefined;
      }
    }
    this.synced += count;
  }
}
