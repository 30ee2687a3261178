import { describe, expect, it } from '@jest/globals';
import type { estypes } from '@elastic/elasticsearch';
import { withCatalogServer } from './catalog.js';
import { failureOf, type TestServer } from './harness.js';

interface AggregateReply {
  buckets: { key: string | number; doc_count: number }[];
  sum_other_doc_count?: number;
  value?: number | null;
}

describe('aggregations', () => {
  let server: TestServer;
  let index: string;
  withCatalogServer('aggs', (opened) => ({ server, index } = opened));

  const aggregate = async (aggs: Record<string, estypes.AggregationsAggregationContainer>, query?: estypes.QueryDslQueryContainer) =>
    (await server.client.search({ index, size: 0, aggs, ...(query ? { query } : {}) })).aggregations as unknown as Record<string, AggregateReply>;

  it('counts documents per keyword value with terms, most frequent first, ties by key', async () => {
    const result = await aggregate({ categories: { terms: { field: 'category' } } });
    expect(result['categories']!.buckets).toEqual([
      { key: 'shoes', doc_count: 3 },
      { key: 'accessories', doc_count: 1 },
      { key: 'boots', doc_count: 1 },
      { key: 'clothing', doc_count: 1 },
    ]);
    expect(result['categories']!.sum_other_doc_count).toBe(0);
  });

  it('limits terms buckets with size and reports the rest in sum_other_doc_count', async () => {
    const result = await aggregate({ brands: { terms: { field: 'brand', size: 1 } } });
    expect(result['brands']!.buckets).toEqual([{ key: 'Stride', doc_count: 3 }]);
    expect(result['brands']!.sum_other_doc_count).toBe(3);
  });

  it('aggregates only the documents the query matches', async () => {
    const result = await aggregate({ categories: { terms: { field: 'category' } } }, { term: { brand: 'Stride' } });
    expect(result['categories']!.buckets).toEqual([
      { key: 'shoes', doc_count: 2 },
      { key: 'accessories', doc_count: 1 },
    ]);
  });

  it('buckets numbers into ranges with custom keys (from inclusive, to exclusive)', async () => {
    const result = await aggregate({
      prices: { range: { field: 'price', ranges: [{ key: 'cheap', to: 50 }, { key: 'mid', from: 50, to: 150 }, { key: 'premium', from: 150 }] } },
    });
    expect(result['prices']!.buckets).toEqual([
      { key: 'cheap', to: 50, doc_count: 2 },
      { key: 'mid', from: 50, to: 150, doc_count: 2 },
      { key: 'premium', from: 150, doc_count: 2 },
    ]);
  });

  it('names range buckets from their bounds when no key is given', async () => {
    const result = await aggregate({ prices: { range: { field: 'price', ranges: [{ to: 50 }, { from: 50 }] } } });
    expect(result['prices']!.buckets.map((bucket) => bucket.key)).toEqual(['*-50.0', '50.0-*']);
  });

  it('returns keyed range buckets as an object', async () => {
    const result = await aggregate({ prices: { range: { field: 'price', keyed: true, ranges: [{ key: 'cheap', to: 50 }] } } });
    expect(result['prices']!.buckets).toEqual({ cheap: { to: 50, doc_count: 2 } });
  });

  it('computes min, max and avg', async () => {
    const result = await aggregate({
      cheapest: { min: { field: 'price' } },
      dearest: { max: { field: 'price' } },
      average: { avg: { field: 'price' } },
    });
    expect(result['cheapest']!.value).toBe(15);
    expect(result['dearest']!.value).toBe(180);
    expect(result['average']!.value).toBe(100);
  });

  it('reports null for metrics over no documents', async () => {
    const result = await aggregate({ cheapest: { min: { field: 'price' } }, average: { avg: { field: 'price' } } }, { term: { brand: 'nobody' } });
    expect(result['cheapest']!.value).toBeNull();
    expect(result['average']!.value).toBeNull();
  });

  it('nests metrics inside terms buckets', async () => {
    const result = await aggregate({ brands: { terms: { field: 'brand' }, aggs: { average: { avg: { field: 'price' } } } } });
    expect(result['brands']!.buckets[0]).toEqual({ key: 'Stride', doc_count: 3, average: { value: 95 } });
  });

  it('refuses a terms aggregation on a text field with a 400', async () => {
    const failure = await failureOf(server.client.search({ index, size: 0, aggs: { names: { terms: { field: 'name' } } } }));
    expect(failure.status).toBe(400);
    expect(failure.body['error'].root_cause[0]!.type).toBe('illegal_argument_exception');
  });
});
