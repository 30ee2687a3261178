import { randomUUID } from 'node:crypto';
import { AnalyzerRegistry, type AnalysisSettings } from '../analysis/analyzers.js';
import { indexDocument } from '../mapping/document-fields.js';
import { validateMappingJson } from '../mapping/mapping-validation.js';
import { Mappings, type MappingJson } from '../mapping/mappings.js';
import { DocumentStore, type WriteResult } from './document-store.js';
import { normaliseIndexSettings } from './settings.js';
import type { WriteConditions } from './versioning.js';

/** Options of an alias on one index. */
export type AliasOptions = Record<string, unknown> & { is_write_index?: boolean };

/** Everything about an index except its documents, as persisted and as `GET /<index>` shows it. */
export interface IndexMetadata {
  name: string;
  uuid: string;
  settings: Record<string, unknown>;
  mappings: MappingJson;
  aliases: Record<string, AliasOptions>;
}

/** What part of an index a write changed, so the cluster knows what to persist. */
export type IndexChange = 'documents' | 'metadata';

/** The body of a create-index request. */
export interface CreateIndexBody {
  settings?: unknown;
  mappings?: MappingJson;
  aliases?: Record<string, AliasOptions>;
}

/** One index: settings, analyzers, mapping, aliases and documents. */
export class EsIndex {
  readonly analyzers: AnalyzerRegistry;
  readonly mappings: Mappings;
  readonly documents: DocumentStore;
  private readonly aliasMap: Map<string, AliasOptions>;
  onChange: (change: IndexChange) => void = () => undefined;

  constructor(private readonly meta: Omit<IndexMetadata, 'aliases' | 'mappings'>, mappings: MappingJson, aliases: Record<string, AliasOptions>) {
    this.analyzers = new AnalyzerRegistry(meta.settings['analysis'] as AnalysisSettings | undefined);
    this.mappings = new Mappings(mappings, this.analyzers);
    this.aliasMap = new Map(Object.entries(aliases));
    this.documents = new DocumentStore(meta, (id, source) => indexDocument(id, source, this.mappings, this.analyzers));
  }

  /** A new, empty index built from a create-index body (validates settings and mappings). */
  static create(name: string, body: CreateIndexBody): EsIndex {
    const uuid = randomUUID().replaceAll('-', '').slice(0, 22);
    const settings = normaliseIndexSettings(body.settings, { name, uuid, creationDate: Date.now() });
    validateMappingJson(body.mappings ?? {});
    return new EsIndex({ name, uuid, settings }, body.mappings ?? {}, body.aliases ?? {});
  }

  /** Rebuilds an index from its persisted metadata. */
  static fromMetadata(meta: IndexMetadata): EsIndex {
    return new EsIndex(meta, meta.mappings, meta.aliases);
  }

  /** The index name. */
  get name(): string {
    return this.meta.name;
  }

  /** The aliases of this index with their options. */
  get aliases(): ReadonlyMap<string, AliasOptions> {
    return this.aliasMap;
  }

  /** The index UUID. */
  get uuid(): string {
    return this.meta.uuid;
  }

  /** The index settings as `GET /<index>/_settings` shows them. */
  get settings(): Record<string, unknown> {
    return this.meta.settings;
  }

  /** The persisted metadata (settings, mapping, aliases). */
  metadata(): IndexMetadata {
    return { ...this.meta, mappings: this.mappings.toJson(), aliases: Object.fromEntries(this.aliasMap) };
  }

  /** Indexes a document, growing the mapping for new fields; reports whether the mapping changed. */
  index(id: string, source: Record<string, unknown>, conditions: WriteConditions = {}, routing?: string): WriteResult & { mappingChanged: boolean } {
    const mappingChanged = this.mappings.addDynamicFields(source);
    if (mappingChanged) this.onChange('metadata');
    const result = this.documents.put(id, source, conditions, routing);
    this.onChange('documents');
    return { ...result, mappingChanged };
  }

  /** Deletes a document (or records a tombstone when there was none). */
  deleteDocument(id: string, conditions: WriteConditions = {}): WriteResult {
    const result = this.documents.delete(id, conditions);
    this.onChange('documents');
    return result;
  }

  /** Adds fields to the mapping (`PUT /<index>/_mapping`). */
  putMapping(update: MappingJson): void {
    validateMappingJson(update);
    this.mappings.merge(update);
    this.onChange('metadata');
  }

  /** Sets or removes aliases of this index. */
  replaceAliases(aliases: Map<string, AliasOptions>): void {
    this.aliasMap.clear();
    for (const [alias, options] of aliases) this.aliasMap.set(alias, options);
    this.onChange('metadata');
  }
}
