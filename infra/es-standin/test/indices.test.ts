import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { failureOf, openTestServer, uniqueIndexName, type TestServer } from './harness.js';

describe('index management', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const productMappings = {
    properties: {
      name: { type: 'text' as const, fields: { keyword: { type: 'keyword' as const } } },
      sku: { type: 'keyword' as const },
      stock: { type: 'integer' as const },
      price: { type: 'scaled_float' as const, scaling_factor: 100 },
      rating: { type: 'float' as const },
      active: { type: 'boolean' as const },
      created: { type: 'date' as const },
    },
  };

  it('creates an index with settings and mappings and acknowledges it', async () => {
    const index = uniqueIndexName('create');
    const reply = await server.client.indices.create({ index, settings: { number_of_shards: 1 }, mappings: productMappings });
    expect(reply).toMatchObject({ acknowledged: true, shards_acknowledged: true, index });
  });

  it('reports whether an index exists', async () => {
    const index = uniqueIndexName('exists');
    expect(await server.client.indices.exists({ index })).toBe(false);
    await server.client.indices.create({ index });
    expect(await server.client.indices.exists({ index })).toBe(true);
  });

  it('returns the mapping that was created, sub-fields included', async () => {
    const index = uniqueIndexName('mapping');
    await server.client.indices.create({ index, mappings: productMappings });
    const reply = await server.client.indices.getMapping({ index });
    const properties = reply[index]!.mappings.properties!;
    expect(properties['name']).toMatchObject({ type: 'text', fields: { keyword: { type: 'keyword' } } });
    expect(properties['price']).toMatchObject({ type: 'scaled_float', scaling_factor: 100 });
    expect(properties['created']).toMatchObject({ type: 'date' });
  });

  it('adds fields to a mapping with put mapping', async () => {
    const index = uniqueIndexName('putmapping');
    await server.client.indices.create({ index, mappings: productMappings });
    await server.client.indices.putMapping({ index, properties: { brand: { type: 'keyword' } } });
    const reply = await server.client.indices.getMapping({ index });
    expect(reply[index]!.mappings.properties!['brand']).toMatchObject({ type: 'keyword' });
  });

  it('maps unknown fields dynamically when a document introduces them', async () => {
    const index = uniqueIndexName('dynamic');
    await server.client.index({ index, id: '1', document: { title: 'hello', count: 3, ratio: 0.5, flag: true }, refresh: true });
    const properties = (await server.client.indices.getMapping({ index }))[index]!.mappings.properties!;
    expect(properties['title']).toMatchObject({ type: 'text', fields: { keyword: { type: 'keyword' } } });
    expect(properties['count']).toMatchObject({ type: 'long' });
    expect(properties['ratio']).toMatchObject({ type: 'float' });
    expect(properties['flag']).toMatchObject({ type: 'boolean' });
  });

  it('refuses to create an index that already exists with resource_already_exists_exception', async () => {
    const index = uniqueIndexName('twice');
    await server.client.indices.create({ index });
    const failure = await failureOf(server.client.indices.create({ index }));
    expect(failure.status).toBe(400);
    expect(failure.body['error'].type).toBe('resource_already_exists_exception');
    expect(failure.body['error'].root_cause[0]!.type).toBe('resource_already_exists_exception');
    expect(failure.body['error'].index).toBe(index);
    expect(failure.body['status']).toBe(400);
  });

  it('refuses upper-case index names', async () => {
    const failure = await failureOf(server.client.indices.create({ index: 'Not-Lowercase' }));
    expect(failure.status).toBe(400);
    expect(failure.body['error'].type).toBe('invalid_index_name_exception');
  });

  it('refuses unknown field types with mapper_parsing_exception', async () => {
    const failure = await failureOf(
      server.client.indices.create({ index: uniqueIndexName('badtype'), mappings: { properties: { x: { type: 'no_such_type' as 'keyword' } } } }),
    );
    expect(failure.status).toBe(400);
    expect(failure.body['error'].type).toBe('mapper_parsing_exception');
  });

  it('deletes an index, after which it no longer exists', async () => {
    const index = uniqueIndexName('delete');
    await server.client.indices.create({ index });
    expect(await server.client.indices.delete({ index })).toMatchObject({ acknowledged: true });
    expect(await server.client.indices.exists({ index })).toBe(false);
  });

  it('answers 404 index_not_found_exception for a missing index', async () => {
    const index = uniqueIndexName('missing');
    for (const call of [
      server.client.indices.delete({ index }),
      server.client.search({ index, query: { match_all: {} } }),
      server.client.get({ index, id: '1' }),
      server.client.indices.getMapping({ index }),
    ]) {
      const failure = await failureOf(call);
      expect(failure.status).toBe(404);
      expect(failure.body['error']).toMatchObject({ type: 'index_not_found_exception', index });
      expect(failure.body['error'].root_cause[0]).toMatchObject({ type: 'index_not_found_exception', index });
    }
  });

  it('refreshes an index', async () => {
    const index = uniqueIndexName('refresh');
    await server.client.indices.create({ index });
    const reply = await server.client.indices.refresh({ index });
    expect(reply._shards?.failed).toBe(0);
  });
});
