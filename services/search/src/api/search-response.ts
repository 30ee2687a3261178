import { create } from '@bufbuild/protobuf';
import { MoneySchema } from '@shop/gen/common/v1/money_pb';
import { FacetsSchema, HighlightSchema, SearchHitSchema, type SearchHit } from '@shop/gen/search/v1/search_pb';
import { SearchProductsResponseSchema, type SearchProductsResponse } from '@shop/gen/search/v1/search_service_pb';
import { encodePageToken } from '../domain/page-token.js';
import type { FoundProduct, SearchCriteria, SearchResult } from '../domain/search.js';

function hitOf(found: FoundProduct): SearchHit {
  return create(SearchHitSchema, {
    productId: found.productId,
    name: found.name,
    categoryId: found.categoryId,
    price: create(MoneySchema, { amountMinor: found.priceMinor, currencyCode: found.currency }),
    inStock: found.inStock,
    score: found.score,
    version: found.version,
    highlights: [...found.highlights].map(([field, fragments]) => create(HighlightSchema, { field, fragments: [...fragments] })),
  });
}

/** The SearchProducts response of a result page; without facets when the search was for the hits only. */
export function searchResponseOf(criteria: SearchCriteria, result: SearchResult): SearchProductsResponse {
  return create(SearchProductsResponseSchema, {
    hits: result.hits.map(hitOf),
    totalSize: BigInt(result.totalSize),
    ...(criteria.hitsOnly
      ? {}
      : {
          facets: create(FacetsSchema, {
            categories: result.categories.map(({ categoryId, count }) => ({ categoryId, count: BigInt(count) })),
            priceRanges: result.priceRanges.map((range) => ({ key: range.key, fromMinor: range.fromMinor, toMinor: range.toMinor ?? 0n, count: BigInt(range.count) })),
          }),
        }),
    nextPageToken: result.next ? encodePageToken(criteria, result.next) : '',
  });
}
