import type { Client, estypes } from '@elastic/elasticsearch';
import type { Logger } from '@shop/runtime';
import { indicesOfAlias } from './elasticsearch.js';

/** One versioned mapping of the product index (a file under migrations/). */
export interface IndexMigration {
  readonly version: number;
  readonly name: string;
  readonly settings: estypes.IndicesIndexSettings;
  readonly mappings: estypes.MappingTypeMapping;
}

/** The state of the live index after migrations ran. */
export interface IndexState {
  readonly indexName: string;
  readonly mappingVersion: number;
  /** True when the live index has an older mapping than the latest migration, so a rebuild should move it on. */
  readonly outdated: boolean;
}

/** The name of the alias that marks an index being rebuilt behind `alias`. */
export function rebuildMarker(alias: string): string {
  return `${alias}_rebuilding`;
}

/** The request that creates a new index with a migration's mapping (recorded in `_meta`) and the given aliases. */
export function createIndexRequest(alias: string, migration: IndexMigration, aliases: readonly string[]): estypes.IndicesCreateRequest {
  return {
    index: `${alias}_v${migration.version}_${Date.now()}`,
    settings: migration.settings,
    mappings: { ...migration.mappings, _meta: { mapping_version: migration.version, migration: migration.name } },
    aliases: Object.fromEntries(aliases.map((name) => [name, {}])),
  };
}

async function mappingVersionOf(es: Client, indexName: string): Promise<number> {
  const mappings = await es.indices.getMapping({ index: indexName });
  return Number(mappings[indexName]?.mappings._meta?.['mapping_version'] ?? 0);
}

/** Creates the first index and its alias when the alias is missing; otherwise reports the live index's mapping version. */
export async function applyIndexMigrations(es: Client, alias: string, migrations: readonly IndexMigration[], logger: Logger): Promise<IndexState> {
  const latest = migrations.at(-1);
  if (!latest) throw new Error('no index migrations');
  const [live] = await indicesOfAlias(es, alias);
  if (!live) {
    const request = createIndexRequest(alias, latest, [alias]);
    await es.indices.create(request);
    logger.info({ index: request.index, alias, mappingVersion: latest.version }, 'created the search index');
    return { indexName: request.index, mappingVersion: latest.version, outdated: false };
  }
  const mappingVersion = await mappingVersionOf(es, live);
  if (mappingVersion > latest.version) throw new Error(`index ${live} has mapping v${mappingVersion}, newer than this code's v${latest.version}`);
  return { indexName: live, mappingVersion, outdated: mappingVersion < latest.version };
}
