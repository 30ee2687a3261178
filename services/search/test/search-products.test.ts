import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code } from '@connectrpc/connect';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { SearchProductsRequestSchema } from '@shop/gen/search/v1/search_service_pb';
import { expectConnectError, uniqueName } from '@shop/testkit';
import { idsOf, productAt, publishCreated, searchUntil, startSearchHarness, type ProductFields, type SearchHarness } from './harness.js';

const catalog: Record<string, ProductFields> = {
  trail: { name: 'Trail runner shoe', description: 'Light shoe for rocky paths', categoryId: 'shoes', priceMinor: 8900n, stock: 4 },
  road: { name: 'Road racer', description: 'A fast shoe with a trail of carbon', categoryId: 'shoes', priceMinor: 12900n, stock: 0 },
  sock: { name: 'Wool sock', description: 'Warm merino sock for hiking', categoryId: 'socks', priceMinor: 900n, stock: 20 },
  cap: { name: 'Sun cap', description: 'Shade for trail days', categoryId: 'hats', priceMinor: 2400n, stock: 2 },
  beanie: { name: 'Knit beanie', description: 'Warm winter hat', categoryId: 'hats', priceMinor: 3100n, stock: 1 },
  bottle: { name: 'Steel bottle', description: 'Keeps water cold', categoryId: 'gear', priceMinor: 5000n, stock: 7 },
};

describe('SearchProducts', () => {
  let harness: SearchHarness;
  const ids: Record<string, string> = {};
  const search = (request: MessageInitShape<typeof SearchProductsRequestSchema>) => harness.client.searchProducts(request);

  beforeAll(async () => {
    harness = await startSearchHarness('search-queries');
    for (const [key, fields] of Object.entries(catalog)) {
      ids[key] = uniqueName(key);
      await publishCreated(harness.bus, productAt(ids[key], 1n, fields));
    }
    await searchUntil(harness.client, {}, (response) => response.totalSize === BigInt(Object.keys(catalog).length));
  });
  afterAll(() => harness.stop());

  it('ranks an exact name match above a match in the description', async () => {
    const response = await search({ query: 'trail' });
    expect(idsOf(response)).toEqual(expect.arrayContaining([ids['trail'], ids['road'], ids['cap']]));
    expect(idsOf(response)[0]).toBe(ids['trail']);
    expect(response.hits[0]!.score).toBeGreaterThan(response.hits[1]!.score);
  });

  it('highlights the matched terms in name and description', async () => {
    const [hit] = (await search({ query: 'merino sock' })).hits;
    expect(hit?.productId).toBe(ids['sock']);
    const fragments = Object.fromEntries(hit!.highlights.map((highlight) => [highlight.field, highlight.fragments]));
    expect(fragments['name']).toEqual(['Wool <em>sock</em>']);
    expect(fragments['description']?.join(' ')).toContain('<em>merino</em>');
  });

  it('tolerates a typo in the query', async () => {
    expect(idsOf(await search({ query: 'beanei' }))).toEqual([ids['beanie']]);
  });

  it('matches everything on an empty query', async () => {
    const response = await search({});
    expect(response.totalSize).toBe(6n);
    expect(new Set(idsOf(response))).toEqual(new Set(Object.values(ids)));
  });

  it('filters by category, price range and stock together', async () => {
    expect(new Set(idsOf(await search({ categoryIds: ['hats', 'socks'] })))).toEqual(new Set([ids['cap'], ids['beanie'], ids['sock']]));
    expect(new Set(idsOf(await search({ minPriceMinor: 2400n, maxPriceMinor: 5000n })))).toEqual(new Set([ids['cap'], ids['beanie'], ids['bottle']]));
    expect(idsOf(await search({ categoryIds: ['shoes'], inStockOnly: true }))).toEqual([ids['trail']]);
    expect(idsOf(await search({ query: 'shoe', maxPriceMinor: 9000n }))).toEqual([ids['trail']]);
  });

  it('counts hits per category and per fixed price range', async () => {
    const { facets } = await search({});
    expect(Object.fromEntries(facets!.categories.map((facet) => [facet.categoryId, facet.count]))).toEqual({ shoes: 2n, hats: 2n, socks: 1n, gear: 1n });
    expect(facets!.priceRanges.map((range) => [range.key, range.fromMinor, range.toMinor, range.count])).toEqual([
      ['0-1000', 0n, 1000n, 1n],
      ['1000-2500', 1000n, 2500n, 1n],
      ['2500-5000', 2500n, 5000n, 1n],
      ['5000-10000', 5000n, 10000n, 2n],
      ['10000-*', 10000n, 0n, 1n],
    ]);
    const filtered = await search({ query: 'warm' });
    expect(Object.fromEntries(filtered.facets!.categories.map((facet) => [facet.categoryId, facet.count]))).toEqual({ hats: 1n, socks: 1n });
  });

  it('pages through every hit exactly once', async () => {
    const seen: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await search({ pageSize: 4, pageToken });
      expect(page.totalSize).toBe(6n);
      seen.push(...idsOf(page));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken !== '' && pages < 10);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(Object.values(ids).sort());
  });

  it('finds the products related to a product: its category from the index, itself left out', async () => {
    expect(idsOf(await search({ relatedToProductId: ids['cap'] }))).toEqual([ids['beanie']]);
    expect(new Set(idsOf(await search({ relatedToProductId: ids['trail'], query: 'shoe' })))).toEqual(new Set([ids['road']]));
    expect(idsOf(await search({ relatedToProductId: ids['sock'] }))).toEqual([]);
  });

  it('finds nothing related to a product the index does not hold', async () => {
    const response = await search({ relatedToProductId: uniqueName('absent') });
    expect(response.hits).toEqual([]);
    expect(response.totalSize).toBe(0n);
    expect(response.facets!.priceRanges.map((range) => range.count)).toEqual([0n, 0n, 0n, 0n, 0n]);
  });

  it('answers a hits-only search with the same hits and pages, no total and no facets', async () => {
    const full = await search({ query: 'trail', pageSize: 2 });
    const hitsOnly = await search({ query: 'trail', pageSize: 2, hitsOnly: true });
    expect(idsOf(hitsOnly)).toEqual(idsOf(full));
    expect(hitsOnly.hits.map((hit) => hit.highlights.length)).toEqual(full.hits.map((hit) => hit.highlights.length));
    expect(full.totalSize).toBe(3n);
    expect(hitsOnly.totalSize).toBe(0n);
    expect(hitsOnly.facets).toBeUndefined();
    expect(hitsOnly.nextPageToken).toBe(full.nextPageToken);
    const next = await search({ query: 'trail', pageSize: 2, hitsOnly: true, pageToken: hitsOnly.nextPageToken });
    expect(idsOf(next)).toEqual(idsOf(await search({ query: 'trail', pageSize: 2, pageToken: full.nextPageToken })));
    expect(next.nextPageToken).toBe('');
    expect(idsOf(await search({ relatedToProductId: ids['cap'], hitsOnly: true }))).toEqual([ids['beanie']]);
  });

  it('binds a page token to the product a related search is about', async () => {
    const { nextPageToken } = await search({ pageSize: 1 });
    const error = await expectConnectError(search({ pageSize: 1, pageToken: nextPageToken, relatedToProductId: ids['cap'] }), Code.InvalidArgument);
    expect(error.metadata.get('field')).toBe('page_token');
  });

  it('rejects bad input with INVALID_ARGUMENT naming the field', async () => {
    const fieldOf = async (request: MessageInitShape<typeof SearchProductsRequestSchema>) => {
      const error = await expectConnectError(search(request), Code.InvalidArgument);
      return error.metadata.get('field');
    };
    expect(await fieldOf({ pageSize: 101 })).toBe('page_size');
    expect(await fieldOf({ pageSize: -1 })).toBe('page_size');
    expect(await fieldOf({ pageToken: 'not-a-token' })).toBe('page_token');
    expect(await fieldOf({ minPriceMinor: 5000n, maxPriceMinor: 100n })).toBe('min_price_minor');
    expect(await fieldOf({ maxPriceMinor: -1n })).toBe('max_price_minor');
    expect(await fieldOf({ categoryIds: [''] })).toBe('category_ids');
    expect(await fieldOf({ relatedToProductId: '  ' })).toBe('related_to_product_id');
    const { nextPageToken } = await search({ pageSize: 1 });
    expect(await fieldOf({ query: 'shoe', pageSize: 1, pageToken: nextPageToken })).toBe('page_token');
  });
});
