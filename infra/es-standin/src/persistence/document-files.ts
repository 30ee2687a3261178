import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import type { DocumentStoreSnapshot, JournalEntry } from '../store/document-store.js';
import { writeFileAtomically } from './atomic-file.js';

const defaultCompactionBytes = 4 * 1024 * 1024;

/** An index's documents as read from disk: the last snapshot and the journal written after it. */
export interface StoredDocuments {
  snapshot: DocumentStoreSnapshot | undefined;
  journal: JournalEntry[];
  sizes: FileSizes;
}

/** Bytes in the snapshot and journal files, which decide when to compact. */
export interface FileSizes {
  snapshotBytes: number;
  journalBytes: number;
}

const snapshotPathOf = (basePath: string) => `${basePath}.json`;
const journalPathOf = (basePath: string) => `${basePath}.journal`;

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseJournal(text: string): JournalEntry[] {
  const lines = text.split('\n').filter((line) => line !== '');
  const entries: JournalEntry[] = [];
  for (const [position, line] of lines.entries()) {
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch (error) {
      if (position === lines.length - 1) break;
      throw error;
    }
  }
  return entries;
}

/** Reads an index's snapshot and journal (a torn last journal line, from a crash mid-write, is ignored). */
export async function readStoredDocuments(basePath: string): Promise<StoredDocuments> {
  const [snapshot, journal] = await Promise.all([readOptional(snapshotPathOf(basePath)), readOptional(journalPathOf(basePath))]);
  return {
    snapshot: snapshot === undefined ? undefined : (JSON.parse(snapshot) as DocumentStoreSnapshot),
    journal: parseJournal(journal ?? ''),
    sizes: { snapshotBytes: Buffer.byteLength(snapshot ?? ''), journalBytes: Buffer.byteLength(journal ?? '') },
  };
}

/**
 * One index's document files: `<uuid>.json` (snapshot) and `<uuid>.journal` (one line per write since).
 * Appends are synced before they resolve; appends requested during a write share the next one; the journal is
 * folded into a new snapshot once it outgrows it.
 */
export class DocumentFiles {
  private handle: FileHandle | undefined;
  private buffer: JournalEntry[] = [];
  private tail: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private journalBytes: number;
  private snapshotBytes: number;
  private discarded = false;
  private readonly snapshotPath: string;
  private readonly journalPath: string;

  constructor(
    basePath: string,
    private readonly renderSnapshot: () => DocumentStoreSnapshot,
    sizes: FileSizes = { snapshotBytes: 0, journalBytes: 0 },
    private readonly minimumCompactionBytes = defaultCompactionBytes,
  ) {
    this.snapshotPath = snapshotPathOf(basePath);
    this.journalPath = journalPathOf(basePath);
    this.snapshotBytes = sizes.snapshotBytes;
    this.journalBytes = sizes.journalBytes;
  }

  /** Resolves once these entries (and any requested before) are synced to the journal. */
  append(entries: JournalEntry[]): Promise<void> {
    this.buffer.push(...entries);
    if (this.pending) return this.pending;
    const write = this.tail
      .catch(() => undefined)
      .then(() => {
        this.pending = undefined;
        return this.writeBatch(this.buffer.splice(0));
      });
    this.pending = write;
    this.tail = write;
    return write;
  }

  private async writeBatch(entries: JournalEntry[]): Promise<void> {
    if (this.discarded || entries.length === 0) return;
    const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    this.handle ??= await open(this.journalPath, 'a');
    await this.handle.appendFile(text);
    await this.handle.datasync();
    this.journalBytes += Buffer.byteLength(text);
    if (this.journalBytes > Math.max(this.minimumCompactionBytes, this.snapshotBytes)) await this.compact();
  }

  private async compact(): Promise<void> {
    const text = JSON.stringify(this.renderSnapshot());
    await writeFileAtomically(this.snapshotPath, text);
    await this.handle?.truncate(0);
    this.snapshotBytes = Buffer.byteLength(text);
    this.journalBytes = 0;
  }

  /** Waits for running writes and closes the journal. */
  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Stops writing and removes both files. */
  async discard(): Promise<void> {
    this.discarded = true;
    await this.close();
    await Promise.all([rm(this.snapshotPath, { force: true }), rm(this.journalPath, { force: true })]);
  }
}
