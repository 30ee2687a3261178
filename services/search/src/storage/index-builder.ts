import type { Client } from '@elastic/elasticsearch';
import { failedPrecondition } from '@shop/runtime';
import type { IndexedProduct } from '../domain/indexed-product.js';
import type { IndexBuild, IndexBuilder } from '../domain/rebuild.js';
import { indicesOfAlias } from './elasticsearch.js';
import { createIndexRequest, rebuildMarker, type IndexMigration } from './index-migration.js';
import { toSource } from './product-source.js';

/** Builds a new index with the latest mapping, marked so the event indexer writes into it too, then swaps the alias. */
export class EsIndexBuilder implements IndexBuilder {
  constructor(
    private readonly es: Client,
    private readonly alias: string,
    private readonly migration: IndexMigration,
  ) {}

  /** Creates the new index; FAILED_PRECONDITION while another rebuild runs. */
  async begin(): Promise<IndexBuild> {
    const marker = rebuildMarker(this.alias);
    const [running] = await indicesOfAlias(this.es, marker);
    if (running) throw failedPrecondition(`a rebuild into ${running} is in progress; if it crashed, delete that index and retry`);
    const request = createIndexRequest(this.alias, this.migration, [marker]);
    await this.es.indices.create(request);
    return new EsIndexBuild(this.es, this.alias, request.index);
  }
}

class EsIndexBuild implements IndexBuild {
  constructor(
    private readonly es: Client,
    private readonly alias: string,
    readonly indexName: string,
  ) {}

  async write(products: readonly IndexedProduct[]): Promise<void> {
    if (products.length === 0) return;
    const operations = products.flatMap((product) => [
      { index: { _index: this.indexName, _id: product.productId, version: Number(product.version), version_type: 'external' as const } },
      toSource(product),
    ]);
    const response = await this.es.bulk({ operations });
    const failed = response.items.map((item) => item.index).find((result) => result?.error && result.status !== 409);
    if (failed) throw new Error(`indexing ${failed._id ?? ''} into ${this.indexName} failed: ${failed.error?.reason ?? failed.error?.type ?? 'unknown'}`);
  }

  async swap(): Promise<string | undefined> {
    await this.es.indices.refresh({ index: this.indexName });
    const previous = await indicesOfAlias(this.es, this.alias);
    await this.es.indices.updateAliases({
      actions: [
        ...previous.map((index) => ({ remove: { index, alias: this.alias } })),
        { add: { index: this.indexName, alias: this.alias } },
        { remove: { index: this.indexName, alias: rebuildMarker(this.alias) } },
      ],
    });
    return previous[0];
  }

  async retire(previousIndexName: string): Promise<void> {
    await this.es.indices.delete({ index: previousIndexName }, { ignore: [404] });
  }

  async abort(): Promise<void> {
    await this.es.indices.delete({ index: this.indexName }, { ignore: [404] });
  }
}
