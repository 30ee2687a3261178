import { UUID, type Document } from 'bson';
import { keyString } from '../documents.js';
import { ID_INDEX, indexEntriesOf, indexKeyOf, indexKeyString, isUnique, type IndexSpec } from '../indexes.js';
import { compareKeys } from './key-order.js';
import { SortedIndex } from './sorted-index.js';

/** A version of a document that a later commit replaced or deleted, kept while a snapshot may still read it. */
export interface PastVersion {
  id: string;
  /** The document as it was, or null when it did not exist. */
  document: Document | null;
  /** The commit sequence that wrote this version (0 = before any). */
  from: number;
  /** The commit sequence that replaced it. */
  to: number;
}

/** The committed contents of one collection: documents by `_id`, their last-write sequence, ordered indexes, past versions. */
export class CollectionState {
  readonly documents = new Map<string, Document>();
  readonly versions = new Map<string, number>();
  readonly uuid = new UUID();
  indexes: IndexSpec[] = [ID_INDEX];
  history: PastVersion[] = [];
  private readonly ordered = new Map<string, SortedIndex>([[ID_INDEX.name, new SortedIndex()]]);
  private readonly uniqueOwners = new Map<string, Map<string, string>>([[ID_INDEX.name, new Map()]]);

  constructor(public options: Document) {}

  /** Stores a document (insert or replace) written at the given commit sequence, keeping the replaced version when asked. */
  put(document: Document, sequence: number, keepHistory = false): void {
    const id = keyString(document._id);
    if (keepHistory) this.remember(id, sequence);
    const previous = this.documents.get(id);
    this.documents.set(id, document);
    this.versions.set(id, sequence);
    for (const spec of this.indexes) this.reindex(spec, id, previous, document);
  }

  /** Removes the document with the given `_id` key string. */
  remove(id: string, sequence: number, keepHistory = false): void {
    if (keepHistory) this.remember(id, sequence);
    this.unindex(id);
    this.documents.delete(id);
    this.versions.set(id, sequence);
  }

  /** Adds an index and fills it from the documents. */
  addIndex(spec: IndexSpec): void {
    if (this.indexes.some((existing) => existing.name === spec.name)) return;
    this.indexes = [...this.indexes, spec];
    this.ordered.set(spec.name, new SortedIndex());
    if (isUnique(spec)) this.uniqueOwners.set(spec.name, new Map());
    for (const [id, document] of this.documents) this.indexDocument(spec, id, document);
  }

  /** Drops the index with the given name. */
  dropIndex(name: string): void {
    this.indexes = this.indexes.filter((spec) => spec.name !== name);
    this.ordered.delete(name);
    this.uniqueOwners.delete(name);
  }

  /** The ordered structure of an index, if it exists. */
  orderedIndex(name: string): SortedIndex | undefined {
    return this.ordered.get(name);
  }

  /** The unique indexes, `_id` included. */
  uniqueIndexes(): IndexSpec[] {
    return this.indexes.filter(isUnique);
  }

  /** The `_id` key string of the document holding a key in a unique index, if any. */
  ownerOf(indexName: string, key: Document): string | undefined {
    return this.uniqueOwners.get(indexName)?.get(indexKeyString(key));
  }

  /** Forgets past versions no open snapshot at or after `oldestSnapshot` can read. */
  pruneHistory(oldestSnapshot: number | undefined): void {
    this.history = oldestSnapshot === undefined ? [] : this.history.filter((version) => version.to > oldestSnapshot);
  }

  private remember(id: string, sequence: number): void {
    this.history.push({ id, document: this.documents.get(id) ?? null, from: this.versions.get(id) ?? 0, to: sequence });
  }

  /** Moves a replaced document's entries in one index, leaving them in place when its keys there did not change. */
  private reindex(spec: IndexSpec, id: string, previous: Document | undefined, document: Document): void {
    if (!previous) return this.indexDocument(spec, id, document);
    if (spec.name === ID_INDEX.name) return;
    const before = indexEntriesOf(spec, previous);
    const after = indexEntriesOf(spec, document);
    if (sameEntries(before, after) && (!isUnique(spec) || sameKey(spec, previous, document))) return;
    this.unindexIn(spec, id, previous, before);
    this.indexDocument(spec, id, document, after);
  }

  private indexDocument(spec: IndexSpec, id: string, document: Document, entries = indexEntriesOf(spec, document)): void {
    this.ordered.get(spec.name)?.add(id, entries);
    if (!isUnique(spec)) return;
    const key = indexKeyOf(spec, document);
    if (key) this.uniqueOwners.get(spec.name)?.set(indexKeyString(key), id);
  }

  private unindex(id: string): void {
    const previous = this.documents.get(id);
    if (!previous) return;
    for (const spec of this.indexes) this.unindexIn(spec, id, previous, indexEntriesOf(spec, previous));
  }

  private unindexIn(spec: IndexSpec, id: string, previous: Document, entries: unknown[][]): void {
    this.ordered.get(spec.name)?.remove(id, entries);
    if (!isUnique(spec)) return;
    const key = indexKeyOf(spec, previous);
    const owners = this.uniqueOwners.get(spec.name);
    if (key && owners?.get(indexKeyString(key)) === id) owners.delete(indexKeyString(key));
  }
}

function sameEntries(left: readonly unknown[][], right: readonly unknown[][]): boolean {
  return left.length === right.length && left.every((key, at) => key.length === right[at]!.length && compareKeys(key, right[at]!) === 0);
}

/** Whether a document has the same key in a unique index as before (as the index's owner map tells keys apart). */
export function sameKey(spec: IndexSpec, previous: Document, document: Document): boolean {
  const before = indexKeyOf(spec, previous);
  const after = indexKeyOf(spec, document);
  return before === undefined || after === undefined ? before === after : indexKeyString(before) === indexKeyString(after);
}
