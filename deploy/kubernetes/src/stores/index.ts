import { storeOwners, type ServiceName, type StoreEngine } from '@shop/system-map';
import type { OverlaySettings } from '../settings.js';
import { renderElasticsearch } from './elasticsearch.js';
import { renderEmbeddedStore } from './embedded.js';
import { renderMongodb } from './mongodb.js';
import { renderPostgresql } from './postgresql.js';
import { renderRedis } from './redis.js';
import type { RenderedStore, StoreRenderer } from './store-kind.js';

/** How each engine the map knows is run on Kubernetes; a new engine fails the typecheck until it is added here. */
export const storeRenderers: { readonly [engine in StoreEngine]: StoreRenderer } = {
  postgresql: renderPostgresql,
  mongodb: renderMongodb,
  elasticsearch: renderElasticsearch,
  redis: renderRedis,
  duckdb: renderEmbeddedStore,
};

/** Every store of the map, rendered for its owner, keyed by owner. */
export function renderStores(overlay: OverlaySettings): Map<ServiceName, RenderedStore> {
  return new Map<ServiceName, RenderedStore>(storeOwners().map(({ name, spec }) => [name, storeRenderers[spec.store.engine](name, spec.store, overlay)]));
}
