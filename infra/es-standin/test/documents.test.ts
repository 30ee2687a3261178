import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { failureOf, openTestServer, uniqueIndexName, type TestServer } from './harness.js';

describe('single-document APIs', () => {
  let server: TestServer;
  let index: string;
  beforeAll(async () => {
    server = await openTestServer();
    index = uniqueIndexName('docs');
    await server.client.indices.create({ index, mappings: { properties: { name: { type: 'text' }, stock: { type: 'integer' } } } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('creates a document with PUT and reports created, version 1, seq_no and primary term', async () => {
    const reply = await server.client.index({ index, id: 'a', document: { name: 'first', stock: 1 } });
    expect(reply).toMatchObject({ _index: index, _id: 'a', _version: 1, result: 'created', _primary_term: 1 });
    expect(reply._seq_no).toEqual(expect.any(Number));
    expect(reply._shards.failed).toBe(0);
  });

  it('replaces a document and reports updated with the next version and a higher seq_no', async () => {
    const first = await server.client.index({ index, id: 'b', document: { name: 'one' } });
    const second = await server.client.index({ index, id: 'b', document: { name: 'two' } });
    expect(second).toMatchObject({ result: 'updated', _version: 2 });
    expect(second._seq_no!).toBeGreaterThan(first._seq_no!);
  });

  it('generates an id for POST /<index>/_doc', async () => {
    const reply = await server.client.index({ index, document: { name: 'no id' } });
    expect(reply.result).toBe('created');
    expect(reply._id).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect((await server.client.get({ index, id: reply._id }))._source).toEqual({ name: 'no id' });
  });

  it('gets a stored document with its source and versions', async () => {
    await server.client.index({ index, id: 'c', document: { name: 'fetch me', stock: 4 } });
    const reply = await server.client.get({ index, id: 'c' });
    expect(reply).toMatchObject({ _index: index, _id: 'c', found: true, _version: 1, _primary_term: 1, _source: { name: 'fetch me', stock: 4 } });
  });

  it('answers 404 with found: false for a missing document', async () => {
    const failure = await failureOf(server.client.get({ index, id: 'never' }));
    expect(failure.status).toBe(404);
    expect(failure.body).toMatchObject({ _index: index, _id: 'never', found: false });
    expect(await server.client.exists({ index, id: 'never' })).toBe(false);
  });

  it('refuses op_type=create for an existing id with 409 version_conflict_engine_exception', async () => {
    await server.client.index({ index, id: 'd', document: { name: 'exists' } });
    const failure = await failureOf(server.client.create({ index, id: 'd', document: { name: 'again' } }));
    expect(failure.status).toBe(409);
    expect(failure.body['error'].type).toBe('version_conflict_engine_exception');
    const viaParameter = await failureOf(server.client.index({ index, id: 'd', op_type: 'create', document: { name: 'again' } }));
    expect(viaParameter.status).toBe(409);
  });

  it('deletes a document and then reports not_found for it', async () => {
    await server.client.index({ index, id: 'e', document: { name: 'short lived' } });
    const deleted = await server.client.delete({ index, id: 'e' });
    expect(deleted).toMatchObject({ result: 'deleted', _version: 2 });
    const again = await failureOf(server.client.delete({ index, id: 'e' }));
    expect(again.status).toBe(404);
    expect(again.body['result']).toBe('not_found');
  });

  it('merges a partial update into the stored source', async () => {
    await server.client.index({ index, id: 'f', document: { name: 'partial', stock: 1 } });
    const reply = await server.client.update({ index, id: 'f', doc: { stock: 9 } });
    expect(reply).toMatchObject({ result: 'updated', _version: 2 });
    expect((await server.client.get({ index, id: 'f' }))._source).toEqual({ name: 'partial', stock: 9 });
  });

  it('reports noop for an update that changes nothing', async () => {
    await server.client.index({ index, id: 'g', document: { name: 'same', stock: 1 } });
    const reply = await server.client.update({ index, id: 'g', doc: { stock: 1 } });
    expect(reply).toMatchObject({ result: 'noop', _version: 1 });
  });

  it('creates the document for an update with doc_as_upsert', async () => {
    const reply = await server.client.update({ index, id: 'h', doc: { name: 'upserted' }, doc_as_upsert: true });
    expect(reply.result).toBe('created');
    expect((await server.client.get({ index, id: 'h' }))._source).toEqual({ name: 'upserted' });
  });

  it('answers 404 document_missing_exception for an update of a missing document without upsert', async () => {
    const failure = await failureOf(server.client.update({ index, id: 'missing', doc: { name: 'x' } }));
    expect(failure.status).toBe(404);
    expect(failure.body['error'].type).toBe('document_missing_exception');
  });

  it('accepts an external version above the stored one and stores it as the document version', async () => {
    const first = await server.client.index({ index, id: 'v', document: { name: 'v5' }, version: 5, version_type: 'external' });
    expect(first._version).toBe(5);
    const second = await server.client.index({ index, id: 'v', document: { name: 'v9' }, version: 9, version_type: 'external' });
    expect(second).toMatchObject({ _version: 9, result: 'updated' });
  });

  it('refuses an external version equal to or below the stored one with 409 and keeps the stored document', async () => {
    await server.client.index({ index, id: 'w', document: { name: 'v10' }, version: 10, version_type: 'external' });
    for (const version of [10, 3]) {
      const failure = await failureOf(server.client.index({ index, id: 'w', document: { name: 'stale' }, version, version_type: 'external' }));
      expect(failure.status).toBe(409);
      expect(failure.body['error'].type).toBe('version_conflict_engine_exception');
      expect(failure.body['error'].root_cause[0]!.type).toBe('version_conflict_engine_exception');
    }
    expect(await server.client.get({ index, id: 'w' })).toMatchObject({ _version: 10, _source: { name: 'v10' } });
  });

  it('refuses a write whose if_seq_no does not match the stored document', async () => {
    const written = await server.client.index({ index, id: 'x', document: { name: 'cas' } });
    const ok = await server.client.index({ index, id: 'x', document: { name: 'cas 2' }, if_seq_no: written._seq_no, if_primary_term: written._primary_term });
    expect(ok.result).toBe('updated');
    const failure = await failureOf(
      server.client.index({ index, id: 'x', document: { name: 'cas 3' }, if_seq_no: written._seq_no, if_primary_term: written._primary_term }),
    );
    expect(failure.status).toBe(409);
  });

  it('makes a document searchable once written with refresh=true', async () => {
    const reply = await server.client.index({ index, id: 'r', document: { name: 'refreshed unicorn' }, refresh: true });
    expect(reply.forced_refresh).toBe(true);
    const found = await server.client.search({ index, query: { match: { name: 'unicorn' } } });
    expect(found.hits.hits.map((hit) => hit._id)).toEqual(['r']);
  });

  it('deletes the documents a query matches with _delete_by_query', async () => {
    const target = uniqueIndexName('dbq');
    await server.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: target, _id: '1' } },
        { colour: 'red' },
        { index: { _index: target, _id: '2' } },
        { colour: 'blue' },
        { index: { _index: target, _id: '3' } },
        { colour: 'red' },
      ],
    });
    const reply = await server.client.deleteByQuery({ index: target, query: { match: { colour: 'red' } }, refresh: true });
    expect(reply).toMatchObject({ deleted: 2, total: 2, failures: [] });
    const left = await server.client.search({ index: target });
    expect(left.hits.hits.map((hit) => hit._id)).toEqual(['2']);
  });

  it('refuses a value that does not fit the mapped field type with a 400', async () => {
    const failure = await failureOf(server.client.index({ index, id: 'bad', document: { stock: 'many' } }));
    expect(failure.status).toBe(400);
    expect(['document_parsing_exception', 'mapper_parsing_exception']).toContain(failure.body['error'].type);
  });
});
