import type { Client as EsClient } from '@elastic/elasticsearch';
import type { Client } from '@connectrpc/connect';
import type { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { latestIndexMigration } from '../../migrations/index.js';
import { rebuildProjection, type RebuildOutcome, type RebuildProgress } from '../domain/rebuild.js';
import { EsIndexBuilder } from '../storage/index-builder.js';
import { ProductsApiCatalog } from './products-catalog.js';

/** Rebuilds the projection behind the alias from the products API. */
export type ProjectionRebuild = (pageSize: number, progress?: RebuildProgress) => Promise<RebuildOutcome>;

/** A rebuild of the projection from the products API into a new index with the latest mapping. */
export function projectionRebuild(es: EsClient, alias: string, products: Client<typeof ProductService>): ProjectionRebuild {
  const catalog = new ProductsApiCatalog(products);
  const builder = new EsIndexBuilder(es, alias, latestIndexMigration);
  return (pageSize, progress) => rebuildProjection(catalog, builder, pageSize, progress);
}
