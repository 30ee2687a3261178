import type { estypes } from '@elastic/elasticsearch';
import { priceRanges } from '../domain/price-ranges.js';
import type { SearchCriteria } from '../domain/search.js';
import type { ProductSource } from './product-source.js';

function textQuery(query: string): estypes.QueryDslQueryContainer {
  if (query === '') return { match_all: {} };
  return { multi_match: { query, fields: ['name^3', 'description'], fuzziness: 'AUTO' } };
}

/**
 * A related-products search keeps to the category of the product it is related to, read by Elasticsearch itself from
 * that product's document (terms lookups), so the search is one request. The lookup of `deleted` keeps the search to
 * documents as deleted as that product: with tombstones left out, a deleted product (or one the index lacks, whose
 * lookups give no values) has no related products.
 */
function relatedFilters(index: string, productId: string): estypes.QueryDslQueryContainer[] {
  return [
    { terms: { category_id: { index, id: productId, path: 'category_id' } } },
    { terms: { deleted: { index, id: productId, path: 'deleted' } } },
  ];
}

function filters(criteria: SearchCriteria, index: string): estypes.QueryDslQueryContainer[] {
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (criteria.categoryIds.length > 0) clauses.push({ terms: { category_id: [...criteria.categoryIds] } });
  if (criteria.relatedToProductId !== undefined) clauses.push(...relatedFilters(index, criteria.relatedToProductId));
  if (criteria.minPriceMinor !== undefined || criteria.maxPriceMinor !== undefined) {
    const bounds = { gte: criteria.minPriceMinor, lte: criteria.maxPriceMinor };
    clauses.push({ range: { price_minor: Object.fromEntries(Object.entries(bounds).filter(([, value]) => value !== undefined).map(([key, value]) => [key, Number(value)])) } });
  }
  if (criteria.inStockOnly) clauses.push({ term: { in_stock: true } });
  return clauses;
}

const facets: Record<string, estypes.AggregationsAggregationContainer> = {
  categories: { terms: { field: 'category_id', size: 100 } },
  price_ranges: {
    range: { field: 'price_minor', ranges: priceRanges.map((range) => ({ key: range.key, from: range.fromMinor, ...(range.toMinor === undefined ? {} : { to: range.toMinor }) })) },
  },
};

/** The stored fields a hit is read from (search-results.ts); the others (description, stock, deleted) stay in the index. */
export const hitSourceFields = ['product_id', 'name', 'category_id', 'currency', 'price_minor', 'in_stock', 'version'] satisfies (keyof ProductSource)[];

/**
 * The parts of a search response that search-results.ts reads (`filter_path`); the rest (took, _shards, max_score, each
 * hit's _index, _id and sort values, the facets' error bounds and range edges) is left out of the reply.
 */
export const searchResponseFilter = [
  'hits.total.value',
  'hits.hits._score',
  'hits.hits._source',
  'hits.hits.highlight',
  'aggregations.*.buckets.key',
  'aggregations.*.buckets.doc_count',
].join(',');

/**
 * The Elasticsearch search body of a product search over `index` (the alias, where a related search also reads the
 * product it is related to): one page more than asked, to tell whether another follows; the total and the facets
 * unless the search asks for the hits only.
 */
export function searchBody(criteria: SearchCriteria, index: string): Omit<estypes.SearchRequest, 'index'> {
  const related = criteria.relatedToProductId;
  const excluded: estypes.QueryDslQueryContainer[] = [{ term: { deleted: true } }, ...(related === undefined ? [] : [{ term: { product_id: related } }])];
  return {
    query: { bool: { must: [textQuery(criteria.query)], filter: filters(criteria, index), must_not: excluded } },
    sort: [{ _score: { order: 'desc' } }, { product_id: { order: 'asc' } }],
    size: criteria.pageSize + 1,
    _source: hitSourceFields,
    ...(criteria.after ? { search_after: [criteria.after.score, criteria.after.productId] } : {}),
    track_total_hits: !criteria.hitsOnly,
    highlight: { pre_tags: ['<em>'], post_tags: ['</em>'], fields: { name: {}, description: {} } },
    ...(criteria.hitsOnly ? {} : { aggs: facets }),
  };
}
