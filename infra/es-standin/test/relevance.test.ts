import { beforeAll, describe, expect, it } from '@jest/globals';
import { withCatalogServer } from './catalog.js';
import { hitIds, uniqueIndexName, type TestServer } from './harness.js';

const sorted = (ids: string[]) => [...ids].sort();

describe('relevance: BM25, stemming, fuzziness and highlighting', () => {
  let server: TestServer;
  let index: string;
  withCatalogServer('relevance', (opened) => ({ server, index } = opened));

  const search = (body: Record<string, unknown>) => server.client.search({ index, size: 100, ...body });

  it('ranks the short document matching every query term above documents matching one term', async () => {
    const reply = await search({ query: { match: { name: 'running shoe' } } });
    const ids = hitIds(reply);
    expect(ids[0]).toBe('1');
    expect(ids.indexOf('1')).toBeLessThan(ids.indexOf('4'));
    expect(ids.indexOf('1')).toBeLessThan(ids.indexOf('3'));
    const scores = reply.hits.hits.map((hit) => hit._score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(reply.hits.max_score).toBe(scores[0]);
  });

  it('ranks a shorter field above a longer one for the same single-term match (length normalisation)', async () => {
    const reply = await search({ query: { match: { name: 'shoe' } } });
    const ids = hitIds(reply);
    expect(sorted(ids)).toEqual(['1', '4', '5']);
    expect(ids.indexOf('4')).toBeLessThan(ids.indexOf('5'));
  });

  it('ranks a rarer term above a common one (inverse document frequency)', async () => {
    const reply = await search({ query: { match: { name: 'canvas shoe' } } });
    expect(hitIds(reply)[0]).toBe('4');
  });

  describe('field boosts in multi_match', () => {
    let boosted: string;
    beforeAll(async () => {
      boosted = uniqueIndexName('boost');
      await server.client.indices.create({
        index: boosted,
        mappings: { properties: { name: { type: 'text', analyzer: 'english' }, description: { type: 'text', analyzer: 'english' } } },
      });
      await server.client.bulk({
        refresh: true,
        operations: [
          { index: { _index: boosted, _id: 'name-match' } },
          { name: 'Walking boot', description: 'Sturdy leather' },
          { index: { _index: boosted, _id: 'description-match' } },
          { name: 'Sturdy sandal', description: 'Good walking comfort' },
        ],
      });
    });

    it('ranks a name match boosted with name^3 above a description match', async () => {
      const reply = await server.client.search({ index: boosted, query: { multi_match: { query: 'walking', fields: ['name^3', 'description'] } } });
      expect(hitIds(reply)).toEqual(['name-match', 'description-match']);
    });

    it('flips the order when the description is boosted instead', async () => {
      const reply = await server.client.search({ index: boosted, query: { multi_match: { query: 'walking', fields: ['name', 'description^3'] } } });
      expect(hitIds(reply)).toEqual(['description-match', 'name-match']);
    });
  });

  it('finds "shoe" when searching "shoes" through English stemming', async () => {
    const reply = await search({ query: { match: { name: 'shoes' } } });
    expect(sorted(hitIds(reply))).toEqual(['1', '4', '5']);
  });

  it('finds "runs" and "running" from "run"', async () => {
    const reply = await search({ query: { multi_match: { query: 'run', fields: ['name', 'description'] } } });
    expect(sorted(hitIds(reply))).toEqual(['1', '2', '3', '5']);
  });

  it('finds "shoes" for the misspelling "sheos" with fuzziness AUTO, and nothing without fuzziness', async () => {
    const fuzzy = await search({ query: { multi_match: { query: 'sheos', fields: ['name^3', 'description'], fuzziness: 'AUTO' } } });
    expect(sorted(hitIds(fuzzy))).toEqual(['1', '4', '5']);
    const exact = await search({ query: { match: { name: 'sheos' } } });
    expect(hitIds(exact)).toEqual([]);
  });

  it('matches fuzzily in a match query too', async () => {
    const reply = await search({ query: { match: { name: { query: 'lether', fuzziness: 'AUTO' } } } });
    expect(hitIds(reply)).toEqual(['2']);
  });

  it('matches a phrase only when its words are adjacent and in order', async () => {
    expect(sorted(hitIds(await search({ query: { match_phrase: { name: 'running shoe' } } })))).toEqual(['1', '5']);
    expect(hitIds(await search({ query: { match_phrase: { name: 'shoe running' } } }))).toEqual([]);
  });

  it('highlights matched words in text fields with <em> tags by default', async () => {
    const reply = await search({ query: { match: { name: 'canvas' } }, highlight: { fields: { name: {} } } });
    expect(reply.hits.hits[0]!.highlight).toEqual({ name: ['<em>Canvas</em> shoe'] });
  });

  it('highlights stemmed matches with custom pre_tags and post_tags', async () => {
    const reply = await search({
      query: { match: { name: 'shoes' } },
      highlight: { pre_tags: ['<b>'], post_tags: ['</b>'], fields: { name: {} } },
      sort: [{ price: 'asc' }],
    });
    expect(reply.hits.hits[0]!.highlight).toEqual({ name: ['Canvas <b>shoe</b>'] });
  });
});
