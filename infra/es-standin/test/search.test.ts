import { describe, expect, it } from '@jest/globals';
import { withCatalogServer } from './catalog.js';
import { failureOf, hitIds, uniqueIndexName, type TestServer } from './harness.js';

const sorted = (ids: string[]) => [...ids].sort();

describe('_search and _count', () => {
  let server: TestServer;
  let index: string;
  withCatalogServer('catalog', (opened) => ({ server, index } = opened));

  const search = (body: Record<string, unknown>) => server.client.search({ index, size: 100, ...body });

  it('matches every document with match_all and reports the exact total', async () => {
    const reply = await search({ query: { match_all: {} } });
    expect(reply.hits.total).toEqual({ value: 6, relation: 'eq' });
    expect(reply.hits.hits).toHaveLength(6);
    expect(reply.hits.hits[0]).toMatchObject({ _index: index, _score: 1 });
  });

  it('searches without a body', async () => {
    const reply = await server.client.search({ index });
    expect(reply.hits.hits).toHaveLength(6);
  });

  it('matches any term by default and all terms with operator and', async () => {
    const any = await search({ query: { match: { name: 'trail boot' } } });
    expect(sorted(hitIds(any))).toEqual(['1', '2']);
    const all = await search({ query: { match: { name: { query: 'trail shoe', operator: 'and' } } } });
    expect(hitIds(all)).toEqual(['1']);
  });

  it('combines must, filter, should and must_not in bool queries', async () => {
    const reply = await search({
      query: {
        bool: {
          must: [{ match: { name: 'shoe' } }],
          filter: [{ term: { active: true } }],
          must_not: [{ term: { brand: 'Plain' } }],
          should: [{ match: { description: 'trails' } }],
        },
      },
    });
    expect(hitIds(reply)).toEqual(['1', '5']);
  });

  it('requires minimum_should_match of the should clauses', async () => {
    const reply = await search({
      query: {
        bool: {
          should: [{ term: { brand: 'Stride' } }, { term: { category: 'shoes' } }, { range: { price: { lt: 100 } } }],
          minimum_should_match: 2,
        },
      },
    });
    expect(sorted(hitIds(reply))).toEqual(['1', '3', '4', '5']);
  });

  it('filters exact values with term and terms on keyword fields', async () => {
    expect(sorted(hitIds(await search({ query: { term: { brand: 'Stride' } } })))).toEqual(['1', '3', '5']);
    expect(hitIds(await search({ query: { term: { brand: 'stride' } } }))).toEqual([]);
    expect(sorted(hitIds(await search({ query: { terms: { category: ['boots', 'clothing'] } } })))).toEqual(['2', '6']);
    expect(hitIds(await search({ query: { term: { 'name.keyword': 'Leather boot' } } }))).toEqual(['2']);
  });

  it('filters numeric and date ranges with gte, gt, lte and lt', async () => {
    expect(sorted(hitIds(await search({ query: { range: { price: { gte: 90, lte: 150 } } } })))).toEqual(['1', '5', '6']);
    expect(sorted(hitIds(await search({ query: { range: { price: { gt: 90, lt: 150 } } } })))).toEqual(['1']);
    expect(sorted(hitIds(await search({ query: { range: { released: { gte: '2024-01-01' } } } })))).toEqual(['1', '3', '5']);
  });

  it('finds documents that have a field with exists', async () => {
    const index2 = uniqueIndexName('exists');
    await server.client.bulk({
      refresh: true,
      operations: [{ index: { _index: index2, _id: 'with' } }, { tag: 'x' }, { index: { _index: index2, _id: 'without' } }, { other: 'y' }],
    });
    const reply = await server.client.search({ index: index2, query: { exists: { field: 'tag' } } });
    expect(hitIds(reply)).toEqual(['with']);
  });

  it('sorts by keyword and numeric fields ascending and descending, returning sort values', async () => {
    const byPrice = await search({ sort: [{ price: 'asc' }] });
    expect(hitIds(byPrice)).toEqual(['3', '4', '6', '1', '5', '2']);
    expect(byPrice.hits.hits[0]!.sort).toEqual([15]);
    expect(byPrice.hits.hits[0]!._score).toBeNull();
    const byStockDesc = await search({ sort: [{ stock: { order: 'desc' } }] });
    expect(hitIds(byStockDesc)).toEqual(['3', '4', '6', '1', '5', '2']);
    const byBrandThenPrice = await search({ sort: [{ brand: 'asc' }, { price: 'desc' }] });
    expect(hitIds(byBrandThenPrice)).toEqual(['2', '6', '4', '5', '1', '3']);
  });

  it('sorts by _score explicitly', async () => {
    const reply = await search({ query: { match: { name: 'running shoe' } }, sort: ['_score'] });
    const scores = reply.hits.hits.map((hit) => hit._score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('refuses to sort on a text field with a 400', async () => {
    const failure = await failureOf(search({ sort: [{ name: 'asc' }] }));
    expect(failure.status).toBe(400);
    expect(failure.body['error'].root_cause[0]!.type).toBe('illegal_argument_exception');
  });

  it('pages with from and size', async () => {
    const all = hitIds(await search({ sort: [{ price: 'asc' }] }));
    const page2 = await search({ sort: [{ price: 'asc' }], from: 2, size: 2 });
    expect(hitIds(page2)).toEqual(all.slice(2, 4));
    expect(page2.hits.total).toEqual({ value: 6, relation: 'eq' });
  });

  it('pages with search_after using the previous page last sort values', async () => {
    const sort = [{ price: 'desc' as const }, { 'name.keyword': 'asc' as const }];
    const first = await search({ sort, size: 4 });
    const last = first.hits.hits.at(-1)!.sort!;
    const second = await search({ sort, size: 4, search_after: last });
    expect([...hitIds(first), ...hitIds(second)]).toEqual(['2', '5', '1', '6', '4', '3']);
  });

  it('caps the reported total with track_total_hits and omits it when false', async () => {
    const capped = await search({ track_total_hits: 2 });
    expect(capped.hits.total).toEqual({ value: 2, relation: 'gte' });
    const exact = await search({ track_total_hits: true });
    expect(exact.hits.total).toEqual({ value: 6, relation: 'eq' });
    const none = await search({ track_total_hits: false });
    expect(none.hits.total).toBeUndefined();
  });

  it('filters the returned _source', async () => {
    const reply = await search({ query: { ids: { values: ['1'] } }, _source: ['name', 'price'] });
    expect(reply.hits.hits[0]!._source).toEqual({ name: 'Trail running shoe', price: 120 });
    const excluded = await search({ query: { ids: { values: ['1'] } }, _source: { excludes: ['description', 'released'] } });
    expect(Object.keys(excluded.hits.hits[0]!._source as object).sort()).toEqual(['active', 'brand', 'category', 'name', 'price', 'rating', 'stock']);
    const disabled = await search({ query: { ids: { values: ['1'] } }, _source: false });
    expect(disabled.hits.hits[0]!._source).toBeUndefined();
  });

  it('counts matching documents with and without a query', async () => {
    expect((await server.client.count({ index })).count).toBe(6);
    expect((await server.client.count({ index, query: { term: { category: 'shoes' } } })).count).toBe(3);
  });

  it('refuses an unknown query type with 400 parsing_exception', async () => {
    const failure = await failureOf(search({ query: { no_such_query: { name: 'x' } } }));
    expect(failure.status).toBe(400);
    expect(failure.body['error'].type).toBe('parsing_exception');
  });

  it('refuses a body that is not JSON with 400', async () => {
    const failure = await failureOf(
      server.client.transport.request({ method: 'POST', path: `/${index}/_search`, body: '{"query": {' }, { headers: { 'content-type': 'application/json' } }),
    );
    expect(failure.status).toBe(400);
    expect(['x_content_parse_exception', 'parsing_exception', 'json_parse_exception']).toContain(failure.body['error'].type);
  });

  it('refuses a non-numeric value for a numeric term with 400', async () => {
    const failure = await failureOf(search({ query: { term: { price: 'cheap' } } }));
    expect(failure.status).toBe(400);
  });
});
