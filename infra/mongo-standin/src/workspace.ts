import type { Document } from 'bson';
import { keyString } from './documents.js';
import { transientError } from './errors.js';
import { duplicateKeyError, ID_INDEX, indexKeyOf, indexKeyString, type IndexSpec } from './indexes.js';
import type { StoredOperation } from './storage/operations.js';
import type { Persistence } from './storage/persistence.js';
import type { CollectionState } from './storage/collection.js';
import { enforceValidator } from './validation.js';

type Overlay = Map<string, Document | null>;

/**
 * A view of the committed data plus uncommitted writes. An autocommit workspace commits after each
 * statement; a transaction's workspace keeps its writes until commit, which fails with a
 * WriteConflict when a document it wrote was changed by a commit after the transaction began.
 */
export class Workspace {
  private readonly overlays = new Map<string, Overlay>();
  private readonly snapshotSequence: number;

  constructor(
    private readonly persistence: Persistence,
    readonly transactional: boolean,
    private readonly onStatementFailed: () => void = () => undefined,
  ) {
    this.snapshotSequence = persistence.store.sequence;
  }

  /** The collection's documents as this workspace sees them, in natural order. */
  documents(db: string, coll: string): Document[] {
    const committed = this.committed(db, coll)?.documents ?? new Map<string, Document>();
    const overlay = this.overlays.get(namespace(db, coll));
    if (!overlay) return [...committed.values()];
    const merged = new Map<string, Document | null>(committed);
    for (const [id, document] of overlay) merged.set(id, document);
    return [...merged.values()].filter((document): document is Document => document !== null);
  }

  /** Inserts a new document, enforcing `_id` and every unique index and the validator. */
  insert(db: string, coll: string, document: Document): void {
    const id = keyString(document._id);
    if (this.visible(db, coll, id)) throw duplicateKeyError(`${db}.${coll}`, ID_INDEX, { _id: document._id });
    this.write(db, coll, id, document);
  }

  /** Replaces a document (same `_id`) with its updated version. */
  replace(db: string, coll: string, document: Document): void {
    this.write(db, coll, keyString(document._id), document);
  }

  /** Declares the intent to write a document read by this statement: in a transaction, fails if a commit changed it since the snapshot. */
  claim(db: string, coll: string, documentId: unknown): void {
    this.checkNotChangedSinceSnapshot(db, coll, keyString(documentId));
  }

  /** Deletes the document with the given `_id`. */
  remove(db: string, coll: string, documentId: unknown): void {
    const id = keyString(documentId);
    this.checkNotChangedSinceSnapshot(db, coll, id);
    this.overlay(db, coll).set(id, null);
  }

  /** Marks a statement as complete: an autocommit workspace commits it. */
  statementDone(): void {
    if (!this.transactional) this.commit();
  }

  /** Marks a statement as failed: its writes are dropped (a transaction is aborted). */
  statementFailed(): void {
    if (this.transactional) this.onStatementFailed();
    else this.overlays.clear();
  }

  /** Validates against commits made since the snapshot and applies every write as one durable commit. */
  commit(): void {
    if (this.transactional) this.validateAgainstCommitted();
    this.persistence.commit(this.operations());
    this.overlays.clear();
  }

  private write(db: string, coll: string, id: string, document: Document): void {
    this.checkNotChangedSinceSnapshot(db, coll, id);
    const state = this.committed(db, coll);
    enforceValidator(state?.options ?? {}, document);
    this.checkUniqueIndexes(db, coll, id, document);
    this.overlay(db, coll).set(id, document);
  }

  private visible(db: string, coll: string, id: string): boolean {
    const overlaid = this.overlays.get(namespace(db, coll))?.get(id);
    if (overlaid !== undefined) return overlaid !== null;
    return this.committed(db, coll)?.documents.has(id) ?? false;
  }

  private checkNotChangedSinceSnapshot(db: string, coll: string, id: string): void {
    if (!this.transactional) return;
    const version = this.committed(db, coll)?.versions.get(id) ?? 0;
    if (version > this.snapshotSequence) {
      throw transientError('WriteConflict', 'Write conflict during plan execution and yielding is disabled.');
    }
  }

  private checkUniqueIndexes(db: string, coll: string, id: string, document: Document): void {
    const state = this.committed(db, coll);
    for (const spec of state?.uniqueIndexes() ?? []) {
      if (spec.name === ID_INDEX.name) continue;
      const key = indexKeyOf(spec, document);
      if (key && this.keyTakenByOther(db, coll, state, spec, id, key)) throw duplicateKeyError(`${db}.${coll}`, spec, key);
    }
  }

  private keyTakenByOther(db: string, coll: string, state: CollectionState | undefined, spec: IndexSpec, id: string, key: Document): boolean {
    const overlay = this.overlays.get(namespace(db, coll));
    const owner = state?.ownerOf(spec.name, key);
    if (owner !== undefined && owner !== id && !overlay?.has(owner)) return true;
    const wanted = indexKeyString(key);
    for (const [otherId, other] of overlay ?? []) {
      if (otherId === id || other === null) continue;
      const otherKey = indexKeyOf(spec, other);
      if (otherKey && indexKeyString(otherKey) === wanted) return true;
    }
    return false;
  }

  private validateAgainstCommitted(): void {
    for (const [ns, overlay] of this.overlays) {
      const [db, coll] = splitNamespaceKey(ns);
      for (const [id, document] of overlay) {
        this.checkNotChangedSinceSnapshot(db, coll, id);
        if (document) this.checkStillUnique(db, coll, id, document);
      }
    }
  }

  private checkStillUnique(db: string, coll: string, id: string, document: Document): void {
    try {
      this.checkUniqueIndexes(db, coll, id, document);
    } catch {
      throw transientError('WriteConflict', 'Write conflict: a unique key was taken by a concurrent commit.');
    }
  }

  private operations(): StoredOperation[] {
    const operations: StoredOperation[] = [];
    for (const [ns, overlay] of this.overlays) {
      const [db, coll] = splitNamespaceKey(ns);
      for (const [id, document] of overlay) {
        const existing = this.committed(db, coll)?.documents.get(id);
        if (document) operations.push({ op: 'put', db, coll, doc: document });
        else if (existing) operations.push({ op: 'del', db, coll, id: existing._id });
      }
    }
    return operations;
  }

  private overlay(db: string, coll: string): Overlay {
    const ns = namespace(db, coll);
    const overlay = this.overlays.get(ns) ?? new Map<string, Document | null>();
    this.overlays.set(ns, overlay);
    return overlay;
  }

  private committed(db: string, coll: string): CollectionState | undefined {
    return this.persistence.store.collection(db, coll);
  }
}

function namespace(db: string, coll: string): string {
  return `${db}\0${coll}`;
}

function splitNamespaceKey(ns: string): [string, string] {
  const at = ns.indexOf('\0');
  return [ns.slice(0, at), ns.slice(at + 1)];
}
