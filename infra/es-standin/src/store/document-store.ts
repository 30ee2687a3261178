import type { DocumentFields, TextFieldData } from '../mapping/document-fields.js';
import type { StoredDocument, VersionInfo } from './stored-document.js';
import { InvertedIndex, type DocNumbers } from './inverted-index.js';
import { TextFieldStats } from './text-field-stats.js';
import { nextVersion, type WriteConditions, type WriteTarget } from './versioning.js';

/** Outcome of a single document write, as reported in `result`. */
export type WriteOutcome = 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';

/** What a write reports back: the new versions and the outcome. */
export interface WriteResult extends VersionInfo {
  id: string;
  result: WriteOutcome;
}

/** The persisted form of a document store. */
export interface DocumentStoreSnapshot {
  nextSeqNo: number;
  documents: [string, Record<string, unknown>, number, number, number, string?][];
  tombstones: [string, number, number, number][];
}

/** One persisted write: a document's new state or its deletion, with the versions it got. */
export type JournalEntry =
  | ['put', string, Record<string, unknown>, number, number, number, string?]
  | ['delete', string, number, number, number];

const primaryTerm = 1;

/** The documents of one index with versions, tombstones of deleted ones, BM25 field statistics and the inverted index. */
export class DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();
  private readonly byNumber: (StoredDocument | undefined)[] = [];
  /** Postings and doc values of the live documents. */
  readonly inverted = new InvertedIndex();
  private readonly tombstones = new Map<string, VersionInfo>();
  private readonly stats = new Map<string, TextFieldStats>();
  private nextSeqNo = 0;
  private changes: JournalEntry[] = [];

  constructor(
    private readonly identity: { name: string; uuid: string },
    private readonly analyse: (id: string, source: Record<string, unknown>) => DocumentFields,
  ) {}

  /** The live document with this id. */
  get(id: string): StoredDocument | undefined {
    return this.documents.get(id);
  }

  /** All live documents in insertion order. */
  all(): StoredDocument[] {
    return [...this.documents.values()];
  }

  /** The live document with this number. */
  numberedDoc(docNo: number): StoredDocument | undefined {
    return this.byNumber[docNo];
  }

  /** The live documents with these numbers, in insertion order. */
  numbered(docNos: DocNumbers): StoredDocument[] {
    const sorted = Float64Array.from(docNos).sort();
    const found: StoredDocument[] = [];
    for (const docNo of sorted) {
      const doc = this.byNumber[docNo];
      if (doc) found.push(doc);
    }
    return found;
  }

  /** Number of live documents. */
  count(): number {
    return this.documents.size;
  }

  /** BM25 statistics of a text field. */
  statsFor(field: string): TextFieldStats {
    return this.stats.get(field) ?? new TextFieldStats();
  }

  /** Creates or replaces a document, enforcing the write conditions. */
  put(id: string, source: Record<string, unknown>, conditions: WriteConditions = {}, routing?: string): WriteResult {
    const live = this.documents.get(id);
    const version = nextVersion(this.target(id), live, this.tombstones.get(id), conditions);
    const fields = this.analyse(id, source);
    const stored: StoredDocument = { id, source, routing, fields, version, seqNo: this.nextSeqNo++, primaryTerm, docNo: this.byNumber.length };
    this.store(stored);
    this.changes.push(routing === undefined ? ['put', id, source, version, stored.seqNo, primaryTerm] : ['put', id, source, version, stored.seqNo, primaryTerm, routing]);
    return { id, version, seqNo: stored.seqNo, primaryTerm, result: live ? 'updated' : 'created' };
  }

  /** Deletes a document, enforcing the write conditions; reports `not_found` when there was none. */
  delete(id: string, conditions: WriteConditions = {}): WriteResult {
    const live = this.documents.get(id);
    const version = nextVersion(this.target(id), live, this.tombstones.get(id), conditions);
    const seqNo = this.nextSeqNo++;
    this.bury(id, { version, seqNo, primaryTerm });
    this.changes.push(['delete', id, version, seqNo, primaryTerm]);
    return { id, version, seqNo, primaryTerm, result: live ? 'deleted' : 'not_found' };
  }

  /** The versions a no-op update reports (the live document's, unchanged). */
  noop(live: StoredDocument): WriteResult {
    return { id: live.id, version: live.version, seqNo: live.seqNo, primaryTerm: live.primaryTerm, result: 'noop' };
  }

  /** The persisted form of all documents and tombstones. */
  snapshot(): DocumentStoreSnapshot {
    return {
      nextSeqNo: this.nextSeqNo,
      documents: this.all().map((doc) =>
        doc.routing === undefined ? [doc.id, doc.source, doc.version, doc.seqNo, doc.primaryTerm] : [doc.id, doc.source, doc.version, doc.seqNo, doc.primaryTerm, doc.routing],
      ),
      tombstones: [...this.tombstones].map(([id, info]) => [id, info.version, info.seqNo, info.primaryTerm]),
    };
  }

  /** Takes the writes made since the last call, for the journal. */
  drainChanges(): JournalEntry[] {
    return this.changes.splice(0);
  }

  /** Loads a persisted snapshot and the journal written after it, re-analysing every document. */
  restore(snapshot: DocumentStoreSnapshot | undefined, journal: JournalEntry[]): void {
    if (snapshot) {
      this.nextSeqNo = snapshot.nextSeqNo;
      for (const [id, source, version, seqNo, term, routing] of snapshot.documents) this.replay(['put', id, source, version, seqNo, term, routing]);
      for (const [id, version, seqNo, term] of snapshot.tombstones) this.replay(['delete', id, version, seqNo, term]);
    }
    for (const entry of journal) this.replay(entry);
  }

  private replay(entry: JournalEntry): void {
    const id = entry[1];
    const [version, seqNo, term] = entry[0] === 'put' ? [entry[3], entry[4], entry[5]] : [entry[2], entry[3], entry[4]];
    const current = this.documents.get(id) ?? this.tombstones.get(id);
    if (current && current.seqNo >= seqNo) return;
    this.nextSeqNo = Math.max(this.nextSeqNo, seqNo + 1);
    if (entry[0] === 'put') {
      const fields = this.analyse(id, entry[2]);
      this.store({ id, source: entry[2], routing: entry[6] ?? undefined, fields, version, seqNo, primaryTerm: term, docNo: this.byNumber.length });
    }
    else this.bury(id, { version, seqNo, primaryTerm: term });
  }

  private store(stored: StoredDocument): void {
    const live = this.documents.get(stored.id);
    if (live) this.countOut(live);
    this.documents.delete(stored.id);
    this.documents.set(stored.id, stored);
    this.byNumber.push(stored);
    this.tombstones.delete(stored.id);
    this.countIn(stored);
  }

  private bury(id: string, info: VersionInfo): void {
    const live = this.documents.get(id);
    if (live) {
      this.countOut(live);
      this.documents.delete(id);
    }
    this.tombstones.set(id, info);
  }

  private target(id: string): WriteTarget {
    return { index: this.identity.name, uuid: this.identity.uuid, id };
  }

  private textFields(doc: StoredDocument): [string, TextFieldData][] {
    return [...doc.fields].filter((entry): entry is [string, TextFieldData] => entry[1].kind === 'text');
  }

  private countIn(doc: StoredDocument): void {
    this.inverted.add(doc.docNo, doc.fields);
    for (const [path, data] of this.textFields(doc)) {
      const stats = this.stats.get(path) ?? new TextFieldStats();
      stats.add(data);
      this.stats.set(path, stats);
    }
  }

  private countOut(doc: StoredDocument): void {
    this.inverted.remove(doc.docNo, doc.fields);
    this.byNumber[doc.docNo] = undefined;
    for (const [path, data] of this.textFields(doc)) this.stats.get(path)?.remove(data);
  }
}
