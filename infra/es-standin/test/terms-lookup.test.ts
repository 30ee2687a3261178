import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCatalog } from './catalog.js';
import { failureOf, hitIds, openTestServer, uniqueIndexName, type TestServer } from './harness.js';

const sorted = (ids: string[]) => [...ids].sort();

describe('terms lookup', () => {
  let server: TestServer;
  let index: string;
  let lists: string;
  let alias: string;
  beforeAll(async () => {
    server = await openTestServer();
    index = uniqueIndexName('catalog');
    lists = uniqueIndexName('lists');
    alias = `${lists}-alias`;
    await createCatalog(server.client, index);
    await server.client.indices.create({
      index: lists,
      mappings: { properties: { brands: { type: 'keyword' }, owner: { properties: { picks: { properties: { category: { type: 'keyword' } } } } }, flag: { type: 'boolean' } } },
      aliases: { [alias]: {} },
    });
    await server.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: lists, _id: 'favourites' } },
        { brands: ['Stride', 'Plain'], owner: { picks: [{ category: 'boots' }, { category: 'clothing' }] }, flag: false },
        { index: { _index: lists, _id: 'routed', routing: 'shard-key' } },
        { brands: 'Hearth' },
        { index: { _index: lists, _id: 'empty' } },
        { flag: true },
      ],
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  const search = (query: Record<string, unknown>) => server.client.search({ index, size: 100, query });
  const lookup = (id: string, path: string, extra: Record<string, unknown> = {}) => ({ index: lists, id, path, ...extra });

  it('matches documents holding any value the looked-up document has at the path', async () => {
    const reply = await search({ terms: { brand: lookup('favourites', 'brands') } });
    expect(sorted(hitIds(reply))).toEqual(['1', '3', '4', '5']);
    expect(reply.hits.hits.every((hit) => hit._score === 1)).toBe(true);
  });

  it('follows a dotted path through objects and arrays of objects', async () => {
    const reply = await search({ terms: { category: lookup('favourites', 'owner.picks.category') } });
    expect(sorted(hitIds(reply))).toEqual(['2', '6']);
  });

  it('looks up boolean values for a boolean field', async () => {
    const reply = await search({ terms: { active: lookup('favourites', 'flag') } });
    expect(hitIds(reply)).toEqual(['4']);
  });

  it('matches nothing, without failing, for a missing document or a path the document lacks', async () => {
    const missing = await search({ terms: { brand: lookup('no-such-list', 'brands') } });
    expect(missing.hits.total).toEqual({ value: 0, relation: 'eq' });
    const noPath = await search({ terms: { brand: lookup('empty', 'brands') } });
    expect(noPath.hits.total).toEqual({ value: 0, relation: 'eq' });
  });

  it('reads the document through an alias and with routing', async () => {
    const viaAlias = await search({ terms: { brand: { index: alias, id: 'favourites', path: 'brands' } } });
    expect(sorted(hitIds(viaAlias))).toEqual(['1', '3', '4', '5']);
    const routed = await search({ terms: { brand: lookup('routed', 'brands', { routing: 'shard-key' }) } });
    expect(sorted(hitIds(routed))).toEqual(['2', '6']);
  });

  it('filters inside bool clauses without changing the scores of the scoring clauses', async () => {
    const plain = await search({ bool: { must: [{ match: { description: 'trail' } }], must_not: [{ ids: { values: ['3'] } }] } });
    const filtered = await search({
      bool: { must: [{ match: { description: 'trail' } }], filter: [{ terms: { brand: lookup('favourites', 'brands') } }], must_not: [{ ids: { values: ['3'] } }] },
    });
    expect(sorted(hitIds(plain))).toEqual(['1', '6']);
    expect(hitIds(filtered)).toEqual(['1']);
    const scores = new Map(plain.hits.hits.map((hit) => [hit._id, hit._score]));
    for (const hit of filtered.hits.hits) expect(hit._score).toBeCloseTo(scores.get(hit._id)!, 5);
  });

  it('applies in post_filter and _count', async () => {
    const post = await server.client.search({ index, query: { match_all: {} }, post_filter: { terms: { category: lookup('favourites', 'owner.picks.category') } } });
    expect(sorted(hitIds(post))).toEqual(['2', '6']);
    const count = await server.client.count({ index, query: { terms: { brand: lookup('favourites', 'brands') } } });
    expect(count.count).toBe(4);
  });

  it('fails the search with index_not_found_exception when the lookup index does not exist', async () => {
    const { status, body } = await failureOf(search({ terms: { brand: { index: `${lists}-missing`, id: 'favourites', path: 'brands' } } }));
    expect(status).toBe(404);
    expect(body.error.type).toBe('index_not_found_exception');
  });

  it('refuses a lookup without its index, id or path, or with an unknown key', async () => {
    for (const element of [{ id: 'favourites', path: 'brands' }, { index: lists, path: 'brands' }, { index: lists, id: 'favourites' }, { ...lookup('favourites', 'brands'), colour: 'red' }]) {
      const { status } = await failureOf(search({ terms: { brand: element } }));
      expect(status).toBe(400);
    }
  });
});
