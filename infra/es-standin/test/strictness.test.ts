import { describe, expect, it } from '@jest/globals';
import { withCatalogServer } from './catalog.js';
import { failureOf, itWithOwnServer, uniqueIndexName, type TestServer } from './harness.js';

/** Expects a 400 of one of the given types whose error names the option. */
async function expectRefusal(call: Promise<unknown>, name: string, types = ['illegal_argument_exception', 'parsing_exception']): Promise<void> {
  const failure = await failureOf(call);
  expect(failure.status).toBe(400);
  const causes = [failure.body.error, ...failure.body.error.root_cause];
  expect(causes.some((cause) => types.includes(cause.type))).toBe(true);
  expect(JSON.stringify(failure.body.error)).toContain(name);
}

describe('nothing is silently ignored', () => {
  let server: TestServer;
  let index: string;
  withCatalogServer('strict', (opened) => ({ server, index } = opened));

  const search = (body: Record<string, unknown>) => server.client.search({ index, ...body });

  it('refuses unknown query-string parameters on every endpoint, naming them', async () => {
    await expectRefusal(server.client.search({ index }, { querystring: { no_such_parameter: 'x' } }), 'no_such_parameter');
    await expectRefusal(server.client.get({ index, id: '1' }, { querystring: { no_such_parameter: 'x' } }), 'no_such_parameter');
    await expectRefusal(server.client.index({ index, id: '9', document: {} }, { querystring: { no_such_parameter: 'x' } }), 'no_such_parameter');
    await expectRefusal(server.client.indices.getMapping({ index }, { querystring: { no_such_parameter: 'x' } }), 'no_such_parameter');
  });

  it('refuses unknown options of queries, naming them', async () => {
    await expectRefusal(search({ query: { match: { name: { query: 'shoe', no_such_option: 1 } } } }), 'no_such_option');
    await expectRefusal(search({ query: { term: { brand: { value: 'Stride', no_such_option: 1 } } } }), 'no_such_option');
    await expectRefusal(search({ query: { multi_match: { query: 'shoe', fields: ['name'], no_such_option: 1 } } }), 'no_such_option');
    await expectRefusal(search({ query: { range: { price: { gte: 1, no_such_option: 1 } } } }), 'no_such_option');
    await expectRefusal(search({ query: { exists: { field: 'name', no_such_option: 1 } } }), 'no_such_option');
    await expectRefusal(search({ query: { bool: { must: [], no_such_option: 1 } } }), 'no_such_option');
  });

  it('refuses unknown aggregation and bulk metadata options, naming them', async () => {
    await expectRefusal(search({ aggs: { brands: { terms: { field: 'brand', no_such_option: 1 } } } }), 'no_such_option', [
      'illegal_argument_exception',
      'parsing_exception',
      'x_content_parse_exception',
    ]);
    const bulk = server.client.bulk({ operations: [{ index: { _index: index, _id: '9', no_such_option: 1 } as never }, { n: 1 }] });
    await expectRefusal(bulk, 'no_such_option');
  });

  it('refuses an unknown update body field, naming it', async () => {
    await expectRefusal(server.client.update({ index, id: '1', doc: { stock: 1 }, no_such_field: 1 } as never), 'no_such_field', [
      'illegal_argument_exception',
      'parsing_exception',
      'x_content_parse_exception',
    ]);
  });

  itWithOwnServer('refuses Elasticsearch parameters it does not implement, naming them', async () => {
    await expectRefusal(server.client.search({ index, search_type: 'dfs_query_then_fetch' }), 'search_type');
    await expectRefusal(server.client.search({ index, human: true }), 'human');
    await expectRefusal(server.client.index({ index, id: '9', document: {}, pipeline: 'p' }), 'pipeline');
    await expectRefusal(server.client.get({ index, id: '1', stored_fields: 'name' }), 'stored_fields');
  });

  itWithOwnServer('refuses search body features it does not implement, naming them', async () => {
    await expectRefusal(search({ explain: true }), 'explain');
    await expectRefusal(search({ collapse: { field: 'brand' } }), 'collapse');
    await expectRefusal(search({ query: { match: { name: { query: 'shoe', _name: 'named' } } } }), '_name');
    await expectRefusal(search({ query: { range: { released: { gte: '01/02/2024', format: 'dd/MM/yyyy' } } } }), 'format');
    await expectRefusal(search({ query: { range: { released: { gte: '2024-01-01', time_zone: '+01:00' } } } }), 'time_zone');
    await expectRefusal(search({ query: { multi_match: { query: 'shoe', fields: ['name', 'description'], type: 'cross_fields' } } }), 'cross_fields');
    await expectRefusal(search({ highlight: { fields: { name: { type: 'fvh' } } } }), 'fvh');
    await expectRefusal(search({ highlight: { fields: { name: {} }, no_match_size: 10 } }), 'no_match_size');
    await expectRefusal(search({ sort: [{ price: { order: 'asc', missing: 0 } }] }), 'missing');
    await expectRefusal(search({ sort: [{ price: { order: 'asc', mode: 'avg' } }] }), 'mode');
    await expectRefusal(search({ aggs: { brands: { terms: { field: 'brand', missing: 'none' } } } }), 'missing');
    await expectRefusal(search({ aggs: { brands: { terms: { field: 'brand', include: 'S.*' } } } }), 'include');
  });

  it('refuses an unknown mapping parameter, naming it', async () => {
    const failure = await failureOf(server.client.indices.create({ index: uniqueIndexName('bad-mapping'), mappings: { properties: { tag: { type: 'keyword', no_such_parameter: 1 } as never } } }));
    expect(failure.status).toBe(400);
    expect(failure.body.error.type).toBe('mapper_parsing_exception');
    expect(JSON.stringify(failure.body.error)).toContain('no_such_parameter');
  });

  itWithOwnServer('refuses mapping parameters it does not implement, naming them', async () => {
    for (const tag of [{ type: 'keyword', copy_to: 'all' }, { type: 'keyword', normalizer: 'lowercase' }, { type: 'date', format: 'dd/MM/yyyy' }, { type: 'keyword', doc_values: false }]) {
      const failure = await failureOf(server.client.indices.create({ index: uniqueIndexName('unsupported-mapping'), mappings: { properties: { tag } as never } }));
      expect(failure.status).toBe(400);
      expect(failure.body.error.type).toBe('mapper_parsing_exception');
      expect(failure.body.error.reason).toContain(Object.keys(tag)[1]!);
    }
    const routingRequired = await failureOf(server.client.indices.create({ index: uniqueIndexName('routing-required'), mappings: { _routing: { required: true } } }));
    expect(routingRequired.body.error.reason).toContain('_routing');
  });

  it('accepts what the search service sends', async () => {
    const reply = await search({
      query: { bool: { must: [{ multi_match: { query: 'shoe', fields: ['name^3', 'description'], fuzziness: 'AUTO' } }], filter: [{ terms: { category: ['shoes'] } }, { range: { price: { gte: 10, lte: 500 } } }], must_not: [{ term: { active: false } }] } },
      sort: [{ _score: { order: 'desc' } }, { 'name.keyword': { order: 'asc' } }],
      size: 21,
      track_total_hits: true,
      highlight: { pre_tags: ['<em>'], post_tags: ['</em>'], fields: { name: {}, description: {} } },
      aggs: { categories: { terms: { field: 'category', size: 100 } }, prices: { range: { field: 'price', ranges: [{ key: 'low', to: 100 }, { key: 'high', from: 100 }] } } },
    });
    expect(reply.hits.total).toEqual({ value: 2, relation: 'eq' });
  });
});
