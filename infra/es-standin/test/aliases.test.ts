import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { failureOf, hitIds, openTestServer, uniqueIndexName, type TestServer } from './harness.js';

describe('aliases', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const mappings = { properties: { name: { type: 'text' as const }, generation: { type: 'integer' as const } } };

  async function createGeneration(index: string, generation: number, names: string[]): Promise<void> {
    await server.client.indices.create({ index, mappings });
    await server.client.bulk({
      refresh: true,
      operations: names.flatMap((name, position) => [{ index: { _index: index, _id: String(position + 1) } }, { name, generation }]),
    });
  }

  it('adds an alias and lists it with GET /_alias/<name>', async () => {
    const index = uniqueIndexName('alias-get');
    const alias = `${index}-alias`;
    await server.client.indices.create({ index });
    expect(await server.client.indices.updateAliases({ actions: [{ add: { index, alias } }] })).toMatchObject({ acknowledged: true });
    const reply = await server.client.indices.getAlias({ name: alias });
    expect(reply).toEqual({ [index]: { aliases: { [alias]: {} } } });
  });

  it('reports whether an alias exists with HEAD /_alias/<name>', async () => {
    const index = uniqueIndexName('alias-head');
    const alias = `${index}-alias`;
    await server.client.indices.create({ index });
    expect(await server.client.indices.existsAlias({ name: alias })).toBe(false);
    await server.client.indices.putAlias({ index, name: alias });
    expect(await server.client.indices.existsAlias({ name: alias })).toBe(true);
  });

  it('answers 404 for GET of a missing alias', async () => {
    const failure = await failureOf(server.client.indices.getAlias({ name: uniqueIndexName('no-alias') }));
    expect(failure.status).toBe(404);
  });

  it('indexes, gets and searches through an alias that points at one index', async () => {
    const index = uniqueIndexName('alias-rw');
    const alias = `${index}-alias`;
    await server.client.indices.create({ index, mappings, aliases: { [alias]: {} } });
    const written = await server.client.index({ index: alias, id: '7', document: { name: 'through alias', generation: 1 }, refresh: true });
    expect(written._index).toBe(index);
    const fetched = await server.client.get({ index: alias, id: '7' });
    expect(fetched).toMatchObject({ _index: index, found: true, _source: { name: 'through alias' } });
    const found = await server.client.search({ index: alias, query: { match: { name: 'alias' } } });
    expect(hitIds(found)).toEqual(['7']);
    expect(found.hits.hits[0]!._index).toBe(index);
  });

  it('swaps an alias atomically from the old index to the new one and drops the old index (zero-downtime reindex)', async () => {
    const oldIndex = uniqueIndexName('products-v1');
    const newIndex = uniqueIndexName('products-v2');
    const alias = `${oldIndex}-live`;
    await createGeneration(oldIndex, 1, ['old shoe', 'old boot']);
    await server.client.indices.putAlias({ index: oldIndex, name: alias });
    await createGeneration(newIndex, 2, ['new shoe', 'new boot', 'new sandal']);

    const before = await server.client.search({ index: alias, query: { match_all: {} } });
    expect(before.hits.hits.map((hit) => (hit._source as { generation: number }).generation)).toEqual([1, 1]);

    const swap = await server.client.indices.updateAliases({
      actions: [{ add: { index: newIndex, alias } }, { remove: { index: oldIndex, alias } }, { remove_index: { index: oldIndex } }],
    });
    expect(swap.acknowledged).toBe(true);

    const after = await server.client.search({ index: alias, query: { match: { name: 'shoe' } } });
    expect(after.hits.hits.map((hit) => hit._index)).toEqual([newIndex]);
    expect((await server.client.count({ index: alias })).count).toBe(3);
    expect(await server.client.indices.exists({ index: oldIndex })).toBe(false);
    expect(await server.client.indices.getAlias({ name: alias })).toEqual({ [newIndex]: { aliases: { [alias]: {} } } });
  });

  it('applies none of the actions when one of them fails', async () => {
    const index = uniqueIndexName('alias-atomic');
    const alias = `${index}-alias`;
    await server.client.indices.create({ index });
    const failure = await failureOf(
      server.client.indices.updateAliases({
        actions: [{ add: { index, alias } }, { remove_index: { index: uniqueIndexName('absent') } }],
      }),
    );
    expect(failure.status).toBe(404);
    expect(await server.client.indices.existsAlias({ name: alias })).toBe(false);
  });

  it('reports a remove of a missing alias as a failed action while applying the others', async () => {
    const index = uniqueIndexName('alias-partial');
    const alias = `${index}-alias`;
    await server.client.indices.create({ index });
    const reply = await server.client.indices.updateAliases({
      actions: [{ remove: { index, alias: `${index}-never` } }, { add: { index, alias } }],
    });
    expect(reply).toMatchObject({ acknowledged: true, errors: true, action_results: [{ status: 404 }, { status: 200 }] });
    expect(await server.client.indices.existsAlias({ name: alias })).toBe(true);
  });

  it('answers 404 aliases_not_found_exception when the only action removes a missing alias', async () => {
    const index = uniqueIndexName('alias-missing');
    await server.client.indices.create({ index });
    const failure = await failureOf(server.client.indices.updateAliases({ actions: [{ remove: { index, alias: `${index}-never` } }] }));
    expect(failure.status).toBe(404);
    expect(failure.body.error.type).toBe('aliases_not_found_exception');
  });

  it('refuses an alias with the name of an existing index', async () => {
    const index = uniqueIndexName('alias-clash');
    const other = uniqueIndexName('alias-clash-other');
    await server.client.indices.create({ index });
    await server.client.indices.create({ index: other });
    const failure = await failureOf(server.client.indices.updateAliases({ actions: [{ add: { index, alias: other } }] }));
    expect(failure.status).toBe(400);
    expect(failure.body['error'].type).toBe('invalid_alias_name_exception');
  });
});
