import type { DocumentFields, TextFieldData } from '../mapping/document-fields.js';
import type { StoredDocument, VersionInfo } from './stored-document.js';
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
  documents: [string, Record<string, unknown>, number, number, number][];
  tombstones: [string, number, number, number][];
}

const primaryTerm = 1;

/** The documents of one index with versions, tombstones of deleted ones and BM25 field statistics. */
export class DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();
  private readonly tombstones = new Map<string, VersionInfo>();
  private readonly stats = new Map<string, TextFieldStats>();
  private nextSeqNo = 0;

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

  /** Number of live documents. */
  count(): number {
    return this.documents.size;
  }

  /** BM25 statistics of a text field. */
  statsFor(field: string): TextFieldStats {
    return this.stats.get(field) ?? new TextFieldStats();
  }

  /** Creates or replaces a document, enforcing the write conditions. */
  put(id: string, source: Record<string, unknown>, conditions: WriteConditions = {}): WriteResult {
    const live = this.documents.get(id);
    const version = nextVersion(this.target(id), live, this.tombstones.get(id), conditions);
    const fields = this.analyse(id, source);
    const stored: StoredDocument = { id, source, fields, version, seqNo: this.nextSeqNo++, primaryTerm };
    if (live) this.countOut(live);
    this.documents.delete(id);
    this.documents.set(id, stored);
    this.tombstones.delete(id);
    this.countIn(stored);
    return { id, version, seqNo: stored.seqNo, primaryTerm, result: live ? 'updated' : 'created' };
  }

  /** Deletes a document, enforcing the write conditions; reports `not_found` when there was none. */
  delete(id: string, conditions: WriteConditions = {}): WriteResult {
    const live = this.documents.get(id);
    const version = nextVersion(this.target(id), live, this.tombstones.get(id), conditions);
    const seqNo = this.nextSeqNo++;
    if (live) {
      this.countOut(live);
      this.documents.delete(id);
    }
    this.tombstones.set(id, { version, seqNo, primaryTerm });
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
      documents: this.all().map((doc) => [doc.id, doc.source, doc.version, doc.seqNo, doc.primaryTerm]),
      tombstones: [...this.tombstones].map(([id, info]) => [id, info.version, info.seqNo, info.primaryTerm]),
    };
  }

  /** Loads a persisted snapshot, re-analysing every document. */
  restore(snapshot: DocumentStoreSnapshot): void {
    this.nextSeqNo = snapshot.nextSeqNo;
    for (const [id, source, version, seqNo, term] of snapshot.documents) {
      const stored: StoredDocument = { id, source, fields: this.analyse(id, source), version, seqNo, primaryTerm: term };
      this.documents.set(id, stored);
      this.countIn(stored);
    }
    for (const [id, version, seqNo, term] of snapshot.tombstones) this.tombstones.set(id, { version, seqNo, primaryTerm: term });
  }

  private target(id: string): WriteTarget {
    return { index: this.identity.name, uuid: this.identity.uuid, id };
  }

  private textFields(doc: StoredDocument): [string, TextFieldData][] {
    return [...doc.fields].filter((entry): entry is [string, TextFieldData] => entry[1].kind === 'text');
  }

  private countIn(doc: StoredDocument): void {
    for (const [path, data] of this.textFields(doc)) {
      const stats = this.stats.get(path) ?? new TextFieldStats();
      stats.add(data);
      this.stats.set(path, stats);
    }
  }

  private countOut(doc: StoredDocument): void {
    for (const [path, data] of this.textFields(doc)) this.stats.get(path)?.remove(data);
  }
}
