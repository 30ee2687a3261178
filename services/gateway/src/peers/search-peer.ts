import type { Client } from '@connectrpc/connect';
import type { SearchService } from '@shop/gen/search/v1/search_service_pb';
import type { SearchPort } from '../domain/ports.js';
import { callOptions } from './call-options.js';
import { defined, moneyOf } from './proto-values.js';

/** The search service behind the SearchPort. */
export function searchPeer(client: Client<typeof SearchService>): SearchPort {
  return {
    search: async (query, budget) => {
      const result = await client.searchProducts({ ...query, categoryIds: [...query.categoryIds] }, callOptions(budget));
      return {
        hits: result.hits.map((hit) =>
          defined({
            productId: hit.productId,
            name: hit.name,
            categoryId: hit.categoryId,
            price: moneyOf(hit.price),
            highlights: hit.highlights.map(({ field, fragments }) => ({ field, fragments })),
          }),
        ),
        totalSize: result.totalSize,
        categories: result.facets?.categories.map(({ categoryId, count }) => ({ categoryId, count })) ?? [],
        priceRanges: result.facets?.priceRanges.map(({ key, count }) => ({ key, count })) ?? [],
        nextPageToken: result.nextPageToken,
      };
    },
  };
}
