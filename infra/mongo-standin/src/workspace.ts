import type { Document } from 'bson';
import { keyString } from './documents.js';
import { transientError } from './errors.js';
import { duplicateKeyError, ID_INDEX, indexEntriesOf, indexKeyOf, indexKeyString, type IndexSpec } from './indexes.js';
import { plannedIds, type QueryPlan } from './planner.js';
import type { StoredOperation } from './storage/operations.js';
import type { Persistence } from './storage/persistence.js';
import { sameKey, type CollectionState } from './storage/collection.js';
import { enforceValidator } from './validation.js';

type Overlay = Map<string, Document | null>;

/** Documents written by open transactions, each held by the one transaction that wrote it until it commits or aborts. */
export class DocumentLocks {
  private readonly holders = new Map<string, Workspace>();

  /** Takes the document for the workspace; fails with a WriteConflict when another open transaction wrote it. */
  acquire(key: string, workspace: Workspace): void {
    const holder = this.holders.get(key);
    if (holder && holder !== workspace) throw transientError('WriteConflict', 'Write conflict during plan execution and yielding is disabled.');
    this.holders.set(key, workspace);
  }

  /** Releases every document the workspace holds. */
  releaseAll(keys: Iterable<string>, workspace: Workspace): void {
    for (const key of keys) if (this.holders.get(key) === workspace) this.holders.delete(key);
  }
}

/** What a transaction's workspace needs: a callback for a failed statement and the shared document locks. */
export interface TransactionHooks {
  onStatementFailed: () => void;
  locks: DocumentLocks;
}

/**
 * A view of the data plus uncommitted writes. An autocommit workspace reads the latest commit and commits after
 * each statement. A transaction's workspace reads the snapshot taken at its first statement, holds the documents
 * it writes (another transaction writing one fails with a WriteConflict at that write) and keeps its writes until
 * commit, which fails with a WriteConflict when a document it wrote was changed by a commit after the snapshot.
 */
export class Workspace {
  private readonly overlays = new Map<string, Overlay>();
  private readonly snapshotSequence: number;
  private readonly held = new Set<string>();
  private ended = false;
  /** Set for a command sent with `bypassDocumentValidation: true`: its writes skip the collection's validator. */
  bypassDocumentValidation = false;

  constructor(
    private readonly persistence: Persistence,
    private readonly transaction?: TransactionHooks,
  ) {
    this.snapshotSequence = transaction ? persistence.store.openSnapshot() : persistence.store.sequence;
  }

  /** Whether the workspace belongs to a multi-document transaction. */
  get transactional(): boolean {
    return this.transaction !== undefined;
  }

  /** The collection's documents as this workspace sees them: those the plan reads (all for a full scan), then this workspace's own writes. */
  documents(db: string, coll: string, plan: QueryPlan = { stage: 'COLLSCAN' }): Document[] {
    const state = this.committed(db, coll);
    const ids = plannedIds(state, plan);
    const all = state?.documents ?? new Map<string, Document>();
    const committed: [string, Document][] = ids ? ids.flatMap((id): [string, Document][] => (all.has(id) ? [[id, all.get(id) as Document]] : [])) : [...all];
    const overlay = this.overlays.get(namespace(db, coll));
    if (!this.transactional && !overlay) return committed.map(([, document]) => document);
    const merged = new Map<string, Document | null>(this.transactional ? this.asOfSnapshot(state, committed) : committed);
    for (const [id, document] of overlay ?? []) merged.set(id, document);
    return [...merged.values()].filter((document): document is Document => document !== null);
  }

  /** Ends the workspace: releases its snapshot and the documents it holds. */
  end(): void {
    if (this.ended || !this.transaction) return;
    this.ended = true;
    this.persistence.store.releaseSnapshot(this.snapshotSequence);
    this.transaction.locks.releaseAll(this.held, this);
  }

  private asOfSnapshot(state: CollectionState | undefined, committed: [string, Document][]): [string, Document | null][] {
    const visible: [string, Document | null][] = committed.filter(([id]) => (state?.versions.get(id) ?? 0) <= this.snapshotSequence);
    for (const version of state?.history ?? []) {
      if (version.from <= this.snapshotSequence && version.to > this.snapshotSequence) visible.push([version.id, version.document]);
    }
    return visible;
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
    this.hold(db, coll, id);
    this.overlay(db, coll).set(id, null);
  }

  /** Marks a statement as complete: an autocommit workspace commits it. */
  statementDone(): void {
    if (!this.transactional) this.commit();
  }

  /** Marks a statement as failed: its writes are dropped (a transaction is aborted). */
  statementFailed(): void {
    if (this.transaction) this.transaction.onStatementFailed();
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
    if (!this.bypassDocumentValidation) enforceValidator(state?.options ?? {}, document);
    this.checkUniqueIndexes(db, coll, id, document, this.visibleVersion(db, coll, id));
    for (const spec of state?.indexes ?? []) indexEntriesOf(spec, document);
    this.hold(db, coll, id);
    this.overlay(db, coll).set(id, document);
  }

  private hold(db: string, coll: string, id: string): void {
    if (!this.transaction) return;
    const key = `${namespace(db, coll)}\0${id}`;
    this.transaction.locks.acquire(key, this);
    this.held.add(key);
  }

  /** The version of a document this workspace sees, once a write checked it was not changed since the snapshot. */
  private visibleVersion(db: string, coll: string, id: string): Document | undefined {
    const overlaid = this.overlays.get(namespace(db, coll))?.get(id);
    if (overlaid !== undefined) return overlaid ?? undefined;
    return this.committed(db, coll)?.documents.get(id);
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

  /** Unique keys the document takes; with `previous` (its version this workspace sees), keys it already held are not looked up again. */
  private checkUniqueIndexes(db: string, coll: string, id: string, document: Document, previous?: Document): void {
    const state = this.committed(db, coll);
    for (const spec of state?.uniqueIndexes() ?? []) {
      if (spec.name === ID_INDEX.name || (previous && sameKey(spec, previous, document))) continue;
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
