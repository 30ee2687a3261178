import type { estypes } from '@elastic/elasticsearch';
import { priceRanges } from '../domain/price-ranges.js';
import type { FoundProduct, PriceRangeCount, SearchCriteria, SearchPosition, SearchResult } from '../domain/search.js';
import type { ProductSource } from './product-source.js';

type Hit = estypes.SearchHit<ProductSource>;
type Buckets = { buckets?: Array<{ key: string | number; doc_count: number }> };

function foundProduct(hit: Hit): FoundProduct {
  const source = hit._source!;
  return {
    productId: source.product_id,
    name: source.name,
    categoryId: source.category_id,
    currency: source.currency,
    priceMinor: BigInt(source.price_minor),
    inStock: source.in_stock,
    score: hit._score ?? 0,
    version: BigInt(source.version),
    highlights: new Map(Object.entries(hit.highlight ?? {})),
  };
}

/** The hit's sort values (score, then product id), read from its score and source, which the reply keeps. */
function positionOf(hit: Hit): SearchPosition {
  return { score: hit._score ?? 0, productId: hit._source!.product_id };
}

function bucketsOf(aggregations: Record<string, unknown> | undefined, name: string): NonNullable<Buckets['buckets']> {
  return (aggregations?.[name] as Buckets | undefined)?.buckets ?? [];
}

function priceRangeCounts(aggregations: Record<string, unknown> | undefined): PriceRangeCount[] {
  const counts = new Map(bucketsOf(aggregations, 'price_ranges').map((bucket) => [String(bucket.key), bucket.doc_count]));
  return priceRanges.map((range) => ({
    key: range.key,
    fromMinor: BigInt(range.fromMinor),
    ...(range.toMinor === undefined ? {} : { toMinor: BigInt(range.toMinor) }),
    count: counts.get(range.key) ?? 0,
  }));
}

/**
 * The page, totals and facets of an Elasticsearch search response, filtered by `searchResponseFilter` (which leaves
 * out an empty hits array and empty bucket lists); of a search for the hits only, the page alone (total 0, no facets).
 */
export function searchResult(response: estypes.SearchResponse<ProductSource>, criteria: Pick<SearchCriteria, 'pageSize' | 'hitsOnly'>): SearchResult {
  const found = response.hits?.hits ?? [];
  const hits = found.slice(0, criteria.pageSize);
  const last = hits.at(-1);
  const page = { hits: hits.map(foundProduct), ...(found.length > criteria.pageSize && last ? { next: positionOf(last) } : {}) };
  if (criteria.hitsOnly) return { ...page, totalSize: 0, categories: [], priceRanges: [] };
  const total = response.hits?.total;
  const aggregations = response.aggregations as Record<string, unknown> | undefined;
  return {
    ...page,
    totalSize: typeof total === 'number' ? total : (total?.value ?? hits.length),
    categories: bucketsOf(aggregations, 'categories').map((bucket) => ({ categoryId: String(bucket.key), count: bucket.doc_count })),
    priceRanges: priceRangeCounts(aggregations),
  };
}
