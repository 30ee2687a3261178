import type { Client } from '@elastic/elasticsearch';
import type { IndexedProduct, ProductWriter } from '../domain/indexed-product.js';
import { indicesOfAlias, isVersionConflict } from './elasticsearch.js';
import { rebuildMarker } from './index-migration.js';
import { toSource } from './product-source.js';

/** Writes snapshots with the product version as external version into the live index and any index being rebuilt. */
export class EsProductWriter implements ProductWriter {
  constructor(
    private readonly es: Client,
    private readonly alias: string,
  ) {}

  /** Writes the snapshot everywhere it belongs; resolves whether the live index took it. */
  async write(product: IndexedProduct): Promise<boolean> {
    const building = await indicesOfAlias(this.es, rebuildMarker(this.alias));
    const [live] = await Promise.all([this.writeTo(this.alias, product, true), ...building.map((index) => this.writeTo(index, product, false))]);
    return live;
  }

  private async writeTo(index: string, product: IndexedProduct, requireAlias: boolean): Promise<boolean> {
    try {
      const document = toSource(product);
      await this.es.index({ index, id: product.productId, document, version: Number(product.version), version_type: 'external', require_alias: requireAlias });
      return true;
    } catch (error) {
      if (isVersionConflict(error)) return false;
      throw error;
    }
  }
}
