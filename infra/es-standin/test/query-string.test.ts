import { describe, expect, it } from '@jest/globals';
import { withCatalogServer } from './catalog.js';
import { failureOf, hitIds, itWithOwnServer, type TestServer } from './harness.js';

const sorted = (ids: string[]) => [...ids].sort();

describe('q= URI search and query_string', () => {
  let server: TestServer;
  let index: string;
  withCatalogServer('query-string', (opened) => ({ server, index } = opened));

  const uri = async (q: string, extra: Record<string, string> = {}) => sorted(hitIds(await server.client.search({ index, q, size: 100, ...extra })));
  const queryString = async (body: Record<string, unknown>) => sorted(hitIds(await server.client.search({ index, size: 100, query: { query_string: body as { query: string } } })));

  it('searches one field with field:value', async () => {
    expect(await uri('name:boot')).toEqual(['2']);
  });

  it('searches every field by default, numbers and keywords included', async () => {
    expect(await uri('trail AND shoe')).toEqual(['1']);
    expect(await uri('120')).toEqual(['1']);
    expect(await uri('Hearth')).toEqual(['2', '6']);
  });

  it('combines terms with AND, OR and NOT as Lucene does, and answers pure negations', async () => {
    expect(await uri('shoe NOT canvas')).toEqual(['1', '5']);
    expect(await uri('jacket OR socks')).toEqual(['2', '3', '6']);
    expect(await uri('NOT shoe')).toEqual(['2', '3', '6']);
    expect(await uri('+shoe -brand:Stride')).toEqual(['4']);
  });

  it('matches quoted phrases in order', async () => {
    expect(await uri('"running shoe"')).toEqual(['1', '5']);
    expect(await uri('name:"shoe running"')).toEqual([]);
  });

  it('honours df and default_operator', async () => {
    expect(await uri('running shoe', { df: 'name', default_operator: 'AND' })).toEqual(['1', '5']);
    expect(await uri('running shoe', { df: 'name', default_operator: 'OR' })).toEqual(['1', '3', '4', '5']);
  });

  it('answers * with every document and groups with parentheses', async () => {
    expect(await uri('*')).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(await uri('category:(boots OR clothing)')).toEqual(['2', '6']);
  });

  it('runs query_string in the body with default_field, fields and default_operator', async () => {
    expect(await queryString({ query: 'brand:Stride AND category:shoes' })).toEqual(['1', '5']);
    expect(await queryString({ query: 'socks', default_field: 'name' })).toEqual(['3']);
    expect(await queryString({ query: 'trail jacket', fields: ['name', 'description'], default_operator: 'and' })).toEqual(['6']);
  });

  it('lets q= replace a query in the body, as Elasticsearch does', async () => {
    expect(sorted(hitIds(await server.client.search({ index, q: 'category:boots', query: { match_all: {} } })))).toEqual(['2']);
  });

  it('counts with q=', async () => {
    expect((await server.client.count({ index, q: 'category:shoes' })).count).toBe(3);
  });

  it('answers a malformed query string with 400', async () => {
    expect((await failureOf(server.client.search({ index, q: '(shoe' }))).status).toBe(400);
    expect((await failureOf(server.client.search({ index, q: 'shoe AND' }))).status).toBe(400);
  });

  it('refuses an unknown query_string option with a parsing_exception naming it', async () => {
    const failure = await failureOf(server.client.search({ index, query: { query_string: { query: 'shoe', no_such_option: true } as never } }));
    expect(failure.status).toBe(400);
    expect(failure.body.error.type).toBe('parsing_exception');
    expect(failure.body.error.reason).toContain('no_such_option');
  });

  itWithOwnServer('refuses syntax outside the supported subset (wildcards, ranges, regular expressions) naming it', async () => {
    for (const q of ['sho*', 'price:[10 TO 20]', 'name:/sh.e/', '_exists_:brand']) {
      const failure = await failureOf(server.client.search({ index, q }));
      expect(failure.status).toBe(400);
      expect(JSON.stringify(failure.body.error)).toMatch(/wildcard|range|regular expression|_exists_/);
    }
  });
});
