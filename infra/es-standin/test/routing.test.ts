import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { failureOf, itWithOwnServer, openTestServer, uniqueIndexName, type TestServer } from './harness.js';

describe('custom routing and require_alias', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('stores the routing of a document and returns _routing from get and search', async () => {
    const index = uniqueIndexName('routing');
    await server.client.index({ index, id: 'r1', routing: 'user-7', document: { title: 'routed' }, refresh: true });
    const withRouting = await server.client.get({ index, id: 'r1', routing: 'user-7' });
    expect(withRouting).toMatchObject({ found: true, _routing: 'user-7' });
    const reply = await server.client.search({ index, query: { match: { title: 'routed' } } });
    expect(reply.hits.hits[0]).toMatchObject({ _id: 'r1', _routing: 'user-7' });
    const plain = await server.client.index({ index, id: 'p1', document: { title: 'plain' }, refresh: true });
    expect(plain.result).toBe('created');
    expect((await server.client.get({ index, id: 'p1' }))._routing).toBeUndefined();
  });

  it('finds and deletes a routed document with its routing (one shard)', async () => {
    const index = uniqueIndexName('routing-delete');
    await server.client.index({ index, id: 'r2', routing: 'tenant-a', document: { n: 1 }, refresh: true });
    expect((await server.client.get({ index, id: 'r2' })).found).toBe(true);
    const deleted = await server.client.delete({ index, id: 'r2', routing: 'tenant-a', refresh: true });
    expect(deleted.result).toBe('deleted');
  });

  it('takes routing per bulk item and keeps it through an update', async () => {
    const index = uniqueIndexName('routing-bulk');
    await server.client.bulk({ refresh: true, operations: [{ index: { _index: index, _id: 'b1', routing: 'shelf-1' } }, { n: 1 }] });
    await server.client.update({ index, id: 'b1', routing: 'shelf-1', doc: { n: 2 }, refresh: true });
    expect(await server.client.get({ index, id: 'b1', routing: 'shelf-1' })).toMatchObject({ _routing: 'shelf-1', _source: { n: 2 } });
  });

  it('refuses a write with require_alias to a name that is not an alias, and creates no index', async () => {
    const index = uniqueIndexName('not-an-alias');
    const failure = await failureOf(server.client.index({ index, id: '1', document: { n: 1 }, require_alias: true }));
    expect(failure.status).toBe(404);
    expect(failure.body.error.type).toBe('index_not_found_exception');
    expect(failure.body.error.reason).toContain('require_alias');
    expect(await server.client.indices.exists({ index })).toBe(false);
    const bulk = await server.client.bulk({ operations: [{ index: { _index: index, _id: '1', require_alias: true } }, { n: 1 }] });
    expect(bulk.items[0]!.index!.status).toBe(404);
  });

  it('writes through an alias with require_alias', async () => {
    const index = uniqueIndexName('aliased');
    const alias = `${index}-alias`;
    await server.client.indices.create({ index, aliases: { [alias]: {} } });
    const reply = await server.client.index({ index: alias, id: '1', document: { n: 1 }, require_alias: true });
    expect(reply).toMatchObject({ _index: index, result: 'created' });
  });

  itWithOwnServer('keeps routing across a restart', async () => {
    const index = uniqueIndexName('routing-durable');
    await server.client.index({ index, id: 'd1', routing: 'r-9', document: { n: 1 } });
    await server.restart();
    expect((await server.client.get({ index, id: 'd1' }))._routing).toBe('r-9');
  });
});
