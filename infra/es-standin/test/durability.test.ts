import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { failureOf, hitIds, itWithOwnServer, openTestServer, uniqueIndexName, type TestServer } from './harness.js';

describe('durability across restarts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  itWithOwnServer('keeps indices, mappings, aliases, documents and versions after a restart', async () => {
    const index = uniqueIndexName('durable');
    const alias = `${index}-alias`;
    await server.client.indices.create({
      index,
      mappings: { properties: { name: { type: 'text', analyzer: 'english' }, price: { type: 'integer' } } },
      aliases: { [alias]: {} },
    });
    await server.client.bulk({
      operations: [
        { index: { _index: index, _id: '1' } },
        { name: 'Durable shoes', price: 10 },
        { index: { _index: index, _id: '2', version: 7, version_type: 'external' } },
        { name: 'Versioned boot', price: 20 },
        { index: { _index: index, _id: '3' } },
        { name: 'Deleted sock', price: 30 },
      ],
    });
    await server.client.update({ index, id: '1', doc: { price: 11 } });
    await server.client.delete({ index, id: '3' });
    const lastWrite = await server.client.index({ index, id: '4', document: { name: 'Late arrival', price: 40 } });

    await server.restart();

    expect(await server.client.get({ index, id: '1' })).toMatchObject({ _version: 2, _source: { name: 'Durable shoes', price: 11 } });
    expect(await server.client.get({ index, id: '2' })).toMatchObject({ _version: 7 });
    expect(await server.client.exists({ index, id: '3' })).toBe(false);
    expect((await server.client.indices.getMapping({ index }))[index]!.mappings.properties!['price']).toMatchObject({ type: 'integer' });
    expect(hitIds(await server.client.search({ index: alias, query: { match: { name: 'shoe' } } }))).toEqual(['1']);
    const stale = await failureOf(server.client.index({ index, id: '2', document: { name: 'stale' }, version: 7, version_type: 'external' }));
    expect(stale.status).toBe(409);
    const next = await server.client.index({ index, id: '5', document: { name: 'After restart' } });
    expect(next._seq_no!).toBeGreaterThan(lastWrite._seq_no!);
  });

  itWithOwnServer('keeps an alias swap and the removal of the old index after a restart', async () => {
    const oldIndex = uniqueIndexName('durable-old');
    const newIndex = uniqueIndexName('durable-new');
    const alias = `${oldIndex}-live`;
    await server.client.indices.create({ index: oldIndex, aliases: { [alias]: {} } });
    await server.client.index({ index: newIndex, id: 'n', document: { generation: 2 } });
    await server.client.indices.updateAliases({
      actions: [{ add: { index: newIndex, alias } }, { remove_index: { index: oldIndex } }],
    });

    await server.restart();

    expect(await server.client.indices.exists({ index: oldIndex })).toBe(false);
    expect(await server.client.indices.getAlias({ name: alias })).toEqual({ [newIndex]: { aliases: { [alias]: {} } } });
    expect((await server.client.get({ index: alias, id: 'n' }))._source).toEqual({ generation: 2 });
  });

  itWithOwnServer('keeps every acknowledged write of many concurrent requests after a restart', async () => {
    const index = uniqueIndexName('durable-concurrent');
    await server.client.indices.create({ index });
    const writes = [
      ...Array.from({ length: 30 }, (_, n) => server.client.index({ index, id: String(n), document: { n } })),
      ...Array.from({ length: 10 }, (_, n) => server.client.update({ index, id: `u${n}`, doc: { upserted: true }, doc_as_upsert: true })),
    ];
    await Promise.all(writes);

    await server.restart();

    expect((await server.client.count({ index })).count).toBe(40);
    expect((await server.client.count({ index, query: { term: { upserted: true } } })).count).toBe(10);
    expect(await server.client.get({ index, id: '29' })).toMatchObject({ _source: { n: 29 } });
  });

  itWithOwnServer('keeps deleted indices deleted after a restart', async () => {
    const index = uniqueIndexName('durable-dropped');
    await server.client.index({ index, id: '1', document: { a: 1 } });
    await server.client.indices.delete({ index });

    await server.restart();

    expect(await server.client.indices.exists({ index })).toBe(false);
  });
});
