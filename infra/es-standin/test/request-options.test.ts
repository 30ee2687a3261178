import { describe, expect, it } from '@jest/globals';
import { withCatalogServer } from './catalog.js';
import { failureOf, hitIds, uniqueIndexName, type TestServer } from './harness.js';

describe('search options: total hits as a number and index resolution', () => {
  let server: TestServer;
  let index: string;
  withCatalogServer('options', (opened) => ({ server, index } = opened));

  it('reports hits.total as a number with rest_total_hits_as_int', async () => {
    const reply = await server.client.search({ index, rest_total_hits_as_int: true, query: { term: { category: 'shoes' } } });
    expect(reply.hits.total).toBe(3);
  });

  it('refuses rest_total_hits_as_int with an inexact track_total_hits', async () => {
    const failure = await failureOf(server.client.search({ index, rest_total_hits_as_int: true, track_total_hits: 2 }));
    expect(failure.status).toBe(400);
    expect(failure.body.error.reason).toContain('rest_total_hits_as_int');
  });

  it('answers 404 for a missing index unless ignore_unavailable is set', async () => {
    const missing = uniqueIndexName('missing');
    const failure = await failureOf(server.client.search({ index: `${index},${missing}` }));
    expect(failure.status).toBe(404);
    expect(failure.body.error.type).toBe('index_not_found_exception');
    const reply = await server.client.search({ index: `${index},${missing}`, ignore_unavailable: true, size: 100 });
    expect(hitIds(reply)).toHaveLength(6);
    const none = await server.client.search({ index: missing, ignore_unavailable: true });
    expect(none.hits.hits).toEqual([]);
    expect((await server.client.count({ index: `${index},${missing}`, ignore_unavailable: true })).count).toBe(6);
  });

  it('answers 404 for a wildcard matching nothing when allow_no_indices is false', async () => {
    const pattern = `${uniqueIndexName('nothing')}-*`;
    expect((await server.client.search({ index: pattern })).hits.hits).toEqual([]);
    const failure = await failureOf(server.client.search({ index: pattern, allow_no_indices: false }));
    expect(failure.status).toBe(404);
    expect(failure.body.error.type).toBe('index_not_found_exception');
  });

  it('expands no wildcards with expand_wildcards=none', async () => {
    const reply = await server.client.search({ index: `${index.slice(0, -3)}*`, expand_wildcards: 'none' });
    expect(reply.hits.hits).toEqual([]);
  });
});
