import { EsError, illegalArgument, indexAlreadyExists, indexNotFound } from '../errors.js';
import { DataDir } from '../persistence/data-dir.js';
import { applyAliasActions, type AliasAction, type AliasActionResult } from './alias-actions.js';
import { EsIndex, type AliasOptions, type CreateIndexBody } from './es-index.js';
import { isPattern, splitExpression, validateIndexName, wildcardMatcher } from './index-names.js';

/** An alias as found on one index. */
export interface AliasEntry {
  index: EsIndex;
  alias: string;
  options: AliasOptions;
}

/** How an index expression resolves: `ignore_unavailable`, `allow_no_indices` and `expand_wildcards` as Elasticsearch reads them. */
export interface ResolveOptions {
  ignoreUnavailable: boolean;
  allowNoIndices: boolean;
  /** Which indices wildcards expand to: `open` (not hidden), `hidden` (dot-prefixed ones too) or none. */
  expandWildcards: 'open' | 'hidden' | 'none';
}

/** Elasticsearch's defaults for search and other multi-index reads. */
export const defaultResolveOptions: ResolveOptions = { ignoreUnavailable: false, allowNoIndices: true, expandWildcards: 'open' };

/** All indices and aliases of the stand-in, with persistence of every change before it is acknowledged. */
export class Cluster {
  private readonly indices = new Map<string, EsIndex>();
  private readonly dirtyDocuments = new Set<EsIndex>();
  private readonly droppedIndices: EsIndex[] = [];
  private metadataDirty = false;
  private readonly dataDir: DataDir;

  private constructor(dataDirPath: string) {
    this.dataDir = new DataDir(dataDirPath, () => ({ indices: [...this.indices.values()].map((index) => index.metadata()) }));
  }

  /** Opens (or creates) the data folder and loads every persisted index. */
  static async open(dataDirPath: string): Promise<Cluster> {
    const cluster = new Cluster(dataDirPath);
    for (const { metadata, documents } of await cluster.dataDir.load()) {
      const index = EsIndex.fromMetadata(metadata);
      index.documents.restore(documents.snapshot, documents.journal);
      cluster.register(index);
    }
    return cluster;
  }

  private register(index: EsIndex): void {
    index.onChange = (change) => {
      if (change === 'metadata') this.metadataDirty = true;
      else this.dirtyDocuments.add(index);
    };
    this.indices.set(index.name, index);
  }

  /** Writes every change made since the last commit to disk. */
  async commit(): Promise<void> {
    const writes: Promise<void>[] = [...this.dirtyDocuments].map((index) => this.dataDir.saveDocuments(index));
    this.dirtyDocuments.clear();
    if (this.metadataDirty) {
      this.metadataDirty = false;
      writes.push(this.dataDir.saveClusterState());
    }
    await Promise.all(writes);
    const dropped = this.droppedIndices.splice(0);
    await Promise.all(dropped.map((index) => this.dataDir.dropDocuments(index)));
  }

  /** Finishes running writes and closes the data folder's files. */
  async close(): Promise<void> {
    await this.commit();
    await this.dataDir.close();
  }

  /** Every index, in creation order. */
  all(): EsIndex[] {
    return [...this.indices.values()];
  }

  /** Creates an index; refuses an existing index or alias name. */
  createIndex(name: string, body: CreateIndexBody): EsIndex {
    validateIndexName(name);
    const existing = this.indices.get(name);
    if (existing) throw indexAlreadyExists(name, existing.uuid);
    if (this.aliasEntries(name).length > 0) {
      throw new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], already exists as alias`, { index_uuid: '_na_', index: name });
    }
    const index = EsIndex.create(name, body);
    for (const alias of index.aliases.keys()) this.checkAliasName(alias);
    this.register(index);
    this.metadataDirty = true;
    return index;
  }

  /** Deletes the indices an expression names (no aliases); returns their names. */
  deleteIndices(expression: string, options: ResolveOptions = defaultResolveOptions): string[] {
    const targets = splitExpression(expression).flatMap((part) => {
      if (isPattern(part)) return options.expandWildcards === 'none' ? [] : this.all().filter((index) => wildcardMatcher(part)(index.name));
      const index = this.indices.get(part);
      if (index) return [index];
      if (this.aliasEntries(part).length > 0) {
        throw illegalArgument(`The provided expression [${part}] matches an alias, specify the corresponding concrete indices instead.`);
      }
      if (options.ignoreUnavailable) return [];
      throw indexNotFound(part);
    });
    if (targets.length === 0 && !options.allowNoIndices) throw indexNotFound(expression);
    for (const index of targets) this.dropIndex(index);
    return targets.map((index) => index.name);
  }

  private dropIndex(index: EsIndex): void {
    this.indices.delete(index.name);
    this.dirtyDocuments.delete(index);
    this.droppedIndices.push(index);
    this.metadataDirty = true;
  }

  /** Every (index, alias) pair whose alias matches the name or pattern. */
  aliasEntries(aliasPattern: string): AliasEntry[] {
    const matches = wildcardMatcher(aliasPattern);
    return this.all().flatMap((index) =>
      [...index.aliases].filter(([alias]) => matches(alias)).map(([alias, options]) => ({ index, alias, options })),
    );
  }

  /** The indices a comma-separated expression names (indices, aliases, wildcards); a missing concrete name is a 404. */
  resolve(expression: string | undefined, options: ResolveOptions = defaultResolveOptions): EsIndex[] {
    const found = new Set<EsIndex>();
    for (const part of splitExpression(expression)) {
      const indices = this.resolveWith(part, options);
      if (indices.length === 0 && isPattern(part) && !options.allowNoIndices) throw indexNotFound(expression && expression !== '_all' ? part : '_all');
      for (const index of indices) found.add(index);
    }
    if (found.size === 0 && !options.allowNoIndices) throw indexNotFound(expression ?? '_all');
    return [...found];
  }

  private resolveWith(part: string, options: ResolveOptions): EsIndex[] {
    try {
      return this.resolvePart(part, options);
    } catch (error) {
      if (options.ignoreUnavailable && error instanceof EsError && error.type === 'index_not_found_exception') return [];
      throw error;
    }
  }

  private resolvePart(part: string, options: ResolveOptions = defaultResolveOptions): EsIndex[] {
    if (isPattern(part)) {
      if (options.expandWildcards === 'none') return [];
      const matches = wildcardMatcher(part);
      return [
        ...this.all().filter((index) => matches(index.name) && (options.expandWildcards === 'hidden' || !index.name.startsWith('.'))),
        ...this.aliasEntries(part).map((entry) => entry.index),
      ];
    }
    const index = this.indices.get(part);
    if (index) return [index];
    const viaAlias = this.aliasEntries(part).map((entry) => entry.index);
    if (viaAlias.length === 0) throw indexNotFound(part);
    return viaAlias;
  }

  /** The one index a name or alias refers to, for single-document reads. */
  resolveSingle(name: string): EsIndex {
    const indices = this.resolvePart(name);
    if (indices.length !== 1) {
      throw illegalArgument(
        `alias [${name}] has more than one index associated with it [${indices.map((index) => index.name).join(', ')}], can't execute a single index op`,
      );
    }
    return indices[0]!;
  }

  /** The index a write to this name goes to: the index, an alias's write index, or a new index created on the fly. */
  resolveForWrite(name: string): EsIndex {
    const existing = this.indices.get(name);
    if (existing) return existing;
    const entries = this.aliasEntries(name);
    if (entries.length === 0) return this.createIndex(name, {});
    const writeEntries = entries.length === 1 ? entries : entries.filter((entry) => entry.options.is_write_index === true);
    if (writeEntries.length !== 1 || writeEntries[0]!.options.is_write_index === false) {
      throw illegalArgument(
        `no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
      );
    }
    return writeEntries[0]!.index;
  }

  /** Applies `POST /_aliases` actions all together, or none of them when one is invalid; reports each action's result. */
  updateAliases(actions: AliasAction[]): AliasActionResult[] {
    const plan = applyAliasActions(actions, {
      resolveIndices: (expression) => this.resolveConcrete(expression),
      checkAliasName: (alias) => this.checkAliasName(alias),
    });
    for (const index of plan.removedIndices) this.dropIndex(index);
    for (const [index, aliases] of plan.aliases) index.replaceAliases(aliases);
    return plan.results;
  }

  /** Sets an alias on the indices an expression names (`PUT /<index>/_alias/<name>`). */
  putAlias(expression: string, alias: string, options: AliasOptions): void {
    this.updateAliases([{ add: { index: expression, alias, ...options } }]);
  }

  private resolveConcrete(expression: string): EsIndex[] {
    return splitExpression(expression).flatMap((part) => {
      if (isPattern(part)) return this.all().filter((index) => wildcardMatcher(part)(index.name));
      const index = this.indices.get(part);
      if (!index) throw indexNotFound(part);
      return [index];
    });
  }

  private checkAliasName(alias: string): void {
    if (this.indices.has(alias)) {
      throw new EsError(400, 'invalid_alias_name_exception', `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`, {
        index_uuid: '_na_',
        index: alias,
      });
    }
  }
}
