import type { Client, estypes } from '@elastic/elasticsearch';
import { newestPerProduct, type IndexedProduct, type ProductWriter } from '../domain/indexed-product.js';
import { rebuildMarker } from './index-migration.js';
import { toSource } from './product-source.js';

type ItemResult = estypes.BulkResponseItem;

/** A version conflict: the index already holds this or a newer version, so the older snapshot is rightly not applied. */
const isConflict = (item: ItemResult) => item.status === 409;

/** The rebuild marker alias is missing: no rebuild is in progress, so there is no second index to write. */
const isNoRebuild = (item: ItemResult) => item.status === 404 && item.error?.type === 'index_not_found_exception';

function failure(target: string, item: ItemResult | undefined): Error {
  return new Error(`indexing ${item?._id ?? ''} into ${target} failed: ${item?.error?.reason ?? item?.error?.type ?? 'no item result'}`);
}

/**
 * Writes snapshots with the product version as external version into the live index and any index being rebuilt, in
 * one `_bulk` request per call: for each product its newest snapshot of the call, as one item through the live alias
 * and one through the rebuild marker alias (both with `require_alias`), so the marker is resolved by the same request
 * that writes instead of a lookup before each write.
 */
export class EsProductWriter implements ProductWriter {
  constructor(
    private readonly es: Client,
    private readonly alias: string,
  ) {}

  /** Writes the snapshots everywhere they belong; resolves how many the live index took; throws when any item failed otherwise. */
  async writeAll(products: readonly IndexedProduct[]): Promise<number> {
    const newest = newestPerProduct(products);
    if (newest.length === 0) return 0;
    const marker = rebuildMarker(this.alias);
    const action = (index: string, product: IndexedProduct) => ({
      index: { _index: index, _id: product.productId, version: Number(product.version), version_type: 'external' as const, require_alias: true },
    });
    const operations = newest.flatMap((product) => {
      const document = toSource(product);
      return [action(this.alias, product), document, action(marker, product), document];
    });
    const { items } = await this.es.bulk({ operations });
    let applied = 0;
    for (let n = 0; n < newest.length; n += 1) {
      const live = items[2 * n]?.index;
      const building = items[2 * n + 1]?.index;
      if (!live || (live.error && !isConflict(live))) throw failure(this.alias, live);
      if (!building || (building.error && !isConflict(building) && !isNoRebuild(building))) throw failure(marker, building);
      if (!live.error) applied += 1;
    }
    return applied;
  }
}
