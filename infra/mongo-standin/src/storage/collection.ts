import { UUID, type Document } from 'bson';
import { keyString } from '../documents.js';
import { ID_INDEX, indexKeyOf, indexKeyString, isUnique, type IndexSpec } from '../indexes.js';

/** The committed contents of one collection: documents by `_id`, their last-write sequence, indexes. */
export class CollectionState {
  readonly documents = new Map<string, Document>();
  readonly versions = new Map<string, number>();
  readonly uuid = new UUID();
  indexes: IndexSpec[] = [ID_INDEX];
  private readonly uniqueOwners = new Map<string, Map<string, string>>([[ID_INDEX.name, new Map()]]);

  constructor(public options: Document) {}

  /** Stores a document (insert or replace) written at the given commit sequence. */
  put(document: Document, sequence: number): void {
    const id = keyString(document._id);
    this.unindex(id);
    this.documents.set(id, document);
    this.versions.set(id, sequence);
    for (const spec of this.uniqueIndexes()) this.indexDocument(spec, id, document);
  }

  /** Removes the document with the given `_id` key string. */
  remove(id: string, sequence: number): void {
    this.unindex(id);
    this.documents.delete(id);
    this.versions.set(id, sequence);
  }

  /** Adds an index; a unique one starts tracking its keys. */
  addIndex(spec: IndexSpec): void {
    if (this.indexes.some((existing) => existing.name === spec.name)) return;
    this.indexes = [...this.indexes, spec];
    if (!isUnique(spec)) return;
    this.uniqueOwners.set(spec.name, new Map());
    for (const [id, document] of this.documents) this.indexDocument(spec, id, document);
  }

  /** Drops the index with the given name. */
  dropIndex(name: string): void {
    this.indexes = this.indexes.filter((spec) => spec.name !== name);
    this.uniqueOwners.delete(name);
  }

  /** The unique indexes, `_id` included. */
  uniqueIndexes(): IndexSpec[] {
    return this.indexes.filter(isUnique);
  }

  /** The `_id` key string of the document holding a key in a unique index, if any. */
  ownerOf(indexName: string, key: Document): string | undefined {
    return this.uniqueOwners.get(indexName)?.get(indexKeyString(key));
  }

  private indexDocument(spec: IndexSpec, id: string, document: Document): void {
    const key = indexKeyOf(spec, document);
    if (key) this.uniqueOwners.get(spec.name)?.set(indexKeyString(key), id);
  }

  private unindex(id: string): void {
    const previous = this.documents.get(id);
    if (!previous) return;
    for (const spec of this.uniqueIndexes()) {
      const key = indexKeyOf(spec, previous);
      const owners = this.uniqueOwners.get(spec.name);
      if (key && owners?.get(indexKeyString(key)) === id) owners.delete(indexKeyString(key));
    }
  }
}
