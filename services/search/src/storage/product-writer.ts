import type { Client, estypes } from '@elastic/elasticsearch';
import type { IndexedProduct, ProductWriter } from '../domain/indexed-product.js';
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
 * one `_bulk` request: one item through the live alias and one through the rebuild marker alias (both with
 * `require_alias`), so the marker is resolved by the same request that writes instead of a lookup before each write.
 */
export class EsProductWriter implements ProductWriter {
  constructor(
    private readonly es: Client,
    private readonly alias: string,
  ) {}

  /** Writes the snapshot everywhere it belongs; resolves whether the live index took it. */
  async write(product: IndexedProduct): Promise<boolean> {
    const marker = rebuildMarker(this.alias);
    const document = toSource(product);
    const action = (index: string) => ({ index: { _index: index, _id: product.productId, version: Number(product.version), version_type: 'external' as const, require_alias: true } });
    const response = await this.es.bulk({ operations: [action(this.alias), document, action(marker), document] });
    const [live, building] = response.items.map((item) => item.index);
    if (!live || (live.error && !isConflict(live))) throw failure(this.alias, live);
    if (!building || (building.error && !isConflict(building) && !isNoRebuild(building))) throw failure(marker, building);
    return !live.error;
  }
}
