import { invalidArgument } from '@shop/runtime';
import type { SearchProductsRequest } from '@shop/gen/search/v1/search_service_pb';
import { decodePageToken } from '../domain/page-token.js';
import type { SearchCriteria } from '../domain/search.js';

const defaultPageSize = 20;
const maxPageSize = 100;
const maxQueryLength = 256;

function pageSizeOf(pageSize: number): number {
  if (pageSize < 0 || pageSize > maxPageSize) throw invalidArgument('page_size', `must be from 1 to ${maxPageSize} (0 means ${defaultPageSize}), got ${pageSize}`);
  return pageSize === 0 ? defaultPageSize : pageSize;
}

function checkPrices(min: bigint | undefined, max: bigint | undefined): void {
  if (min !== undefined && min < 0n) throw invalidArgument('min_price_minor', `must not be negative, got ${min}`);
  if (max !== undefined && max < 0n) throw invalidArgument('max_price_minor', `must not be negative, got ${max}`);
  if (min !== undefined && max !== undefined && min > max) throw invalidArgument('min_price_minor', `must not exceed max_price_minor (${min} > ${max})`);
}

function checkText(query: string, categoryIds: readonly string[], relatedToProductId: string): void {
  if (query.length > maxQueryLength) throw invalidArgument('query', `must be at most ${maxQueryLength} characters, got ${query.length}`);
  if (categoryIds.some((id) => id.trim() === '')) throw invalidArgument('category_ids', 'must not contain empty ids');
  if (relatedToProductId !== '' && relatedToProductId.trim() === '') throw invalidArgument('related_to_product_id', 'must not be blank');
}

/** The validated criteria of a SearchProducts request; INVALID_ARGUMENT names the first bad field. */
export function searchCriteriaOf(request: SearchProductsRequest): SearchCriteria {
  const query = request.query.trim();
  checkText(query, request.categoryIds, request.relatedToProductId);
  checkPrices(request.minPriceMinor, request.maxPriceMinor);
  const filters = {
    query,
    categoryIds: request.categoryIds,
    inStockOnly: request.inStockOnly,
    ...(request.relatedToProductId === '' ? {} : { relatedToProductId: request.relatedToProductId }),
    ...(request.minPriceMinor === undefined ? {} : { minPriceMinor: request.minPriceMinor }),
    ...(request.maxPriceMinor === undefined ? {} : { maxPriceMinor: request.maxPriceMinor }),
  };
  const pageSize = pageSizeOf(request.pageSize);
  return { ...filters, pageSize, ...(request.hitsOnly ? { hitsOnly: true } : {}), ...(request.pageToken === '' ? {} : { after: decodePageToken(filters, request.pageToken) }) };
}
