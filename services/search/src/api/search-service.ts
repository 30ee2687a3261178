import { create } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import { failedPrecondition, invalidArgument } from '@shop/runtime';
import { RebuildIndexResponseSchema, type SearchService } from '@shop/gen/search/v1/search_service_pb';
import type { RebuildOutcome } from '../domain/rebuild.js';
import type { ProductSearch } from '../domain/search.js';
import { searchCriteriaOf } from './search-criteria.js';
import { searchResponseOf } from './search-response.js';

/** What the search API needs: searches, and a rebuild of the projection with a page size. */
export interface SearchServiceDeps {
  readonly search: ProductSearch;
  readonly rebuild: (pageSize: number) => Promise<RebuildOutcome>;
}

const defaultRebuildPageSize = 200;
const maxRebuildPageSize = 1000;

function rebuildPageSize(pageSize: number): number {
  if (pageSize < 0 || pageSize > maxRebuildPageSize) throw invalidArgument('page_size', `must be from 1 to ${maxRebuildPageSize} (0 means ${defaultRebuildPageSize}), got ${pageSize}`);
  return pageSize === 0 ? defaultRebuildPageSize : pageSize;
}

/** shop.search.v1.SearchService over the projection; one rebuild at a time per process. */
export function searchServiceImpl(deps: SearchServiceDeps): ServiceImpl<typeof SearchService> {
  let rebuilding = false;
  return {
    async searchProducts(request) {
      const criteria = searchCriteriaOf(request);
      return searchResponseOf(criteria, await deps.search.search(criteria));
    },
    async rebuildIndex(request) {
      const pageSize = rebuildPageSize(request.pageSize);
      if (rebuilding) throw failedPrecondition('a rebuild is already in progress');
      rebuilding = true;
      try {
        const outcome = await deps.rebuild(pageSize);
        return create(RebuildIndexResponseSchema, { indexName: outcome.indexName, documentCount: BigInt(outcome.documentCount), previousIndexName: outcome.previousIndexName ?? '' });
      } finally {
        rebuilding = false;
      }
    },
  };
}
