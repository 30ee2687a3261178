import type { Document } from 'bson';
import { keyString } from '../documents.js';
import { CollectionState } from './collection.js';
import type { StoredOperation } from './operations.js';

/** The committed in-memory state of every database, changed only by applying stored operations. */
export class Store {
  readonly databases = new Map<string, Map<string, CollectionState>>();
  sequence = 0;
  private readonly openSnapshots = new Map<number, number>();

  /** The collection, if it exists. */
  collection(db: string, coll: string): CollectionState | undefined {
    return this.databases.get(db)?.get(coll);
  }

  /** Applies one commit's operations in order and advances the commit sequence. */
  apply(operations: StoredOperation[]): void {
    this.sequence += 1;
    for (const operation of operations) this.applyOne(operation);
  }

  /** Registers a reader of the current state (a transaction): versions it may read are kept until it is released. */
  openSnapshot(): number {
    this.openSnapshots.set(this.sequence, (this.openSnapshots.get(this.sequence) ?? 0) + 1);
    return this.sequence;
  }

  /** Ends a snapshot opened by `openSnapshot`, forgetting past versions no open snapshot can read. */
  releaseSnapshot(sequence: number): void {
    const count = (this.openSnapshots.get(sequence) ?? 0) - 1;
    if (count > 0) this.openSnapshots.set(sequence, count);
    else this.openSnapshots.delete(sequence);
    const oldest = this.openSnapshots.size === 0 ? undefined : Math.min(...this.openSnapshots.keys());
    for (const collections of this.databases.values()) for (const state of collections.values()) state.pruneHistory(oldest);
  }

  /** The operations that recreate the current state from nothing (used for snapshots). */
  *describe(): Generator<StoredOperation> {
    for (const [db, collections] of this.databases) {
      for (const [coll, state] of collections) {
        yield { op: 'create', db, coll, options: state.options };
        for (const spec of state.indexes.slice(1)) yield { op: 'createIndex', db, coll, spec };
        for (const doc of state.documents.values()) yield { op: 'put', db, coll, doc };
      }
    }
  }

  private applyOne(operation: StoredOperation): void {
    switch (operation.op) {
      case 'put':
        return this.ensure(operation.db, operation.coll).put(operation.doc, this.sequence, this.openSnapshots.size > 0);
      case 'del':
        return this.collection(operation.db, operation.coll)?.remove(keyString(operation.id), this.sequence, this.openSnapshots.size > 0);
      case 'create':
        return void this.ensure(operation.db, operation.coll, operation.options);
      case 'setOptions':
        return void (this.ensure(operation.db, operation.coll).options = operation.options);
      case 'drop':
        return this.drop(operation.db, operation.coll);
      case 'dropDb':
        return void this.databases.delete(operation.db);
      case 'createIndex':
        return this.ensure(operation.db, operation.coll).addIndex(operation.spec);
      case 'dropIndex':
        return this.collection(operation.db, operation.coll)?.dropIndex(operation.name);
    }
  }

  private ensure(db: string, coll: string, options: Document = {}): CollectionState {
    const collections = this.databases.get(db) ?? new Map<string, CollectionState>();
    this.databases.set(db, collections);
    const existing = collections.get(coll);
    if (existing) return existing;
    const created = new CollectionState(options);
    collections.set(coll, created);
    return created;
  }

  private drop(db: string, coll: string): void {
    const collections = this.databases.get(db);
    collections?.delete(coll);
    if (collections?.size === 0) this.databases.delete(db);
  }
}
