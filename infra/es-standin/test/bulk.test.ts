import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openTestServer, uniqueIndexName, type TestServer } from './harness.js';

describe('_bulk', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('runs index, create, update and delete actions and reports each item', async () => {
    const index = uniqueIndexName('bulk');
    await server.client.index({ index, id: 'gone', document: { name: 'to delete' } });
    const reply = await server.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: index, _id: '1' } },
        { name: 'one' },
        { create: { _index: index, _id: '2' } },
        { name: 'two' },
        { update: { _index: index, _id: '1' } },
        { doc: { colour: 'red' } },
        { delete: { _index: index, _id: 'gone' } },
      ],
    });
    expect(reply.errors).toBe(false);
    expect(reply.items.map((item) => Object.keys(item)[0])).toEqual(['index', 'create', 'update', 'delete']);
    expect(reply.items[0]!.index).toMatchObject({ _id: '1', result: 'created', status: 201, _version: 1 });
    expect(reply.items[1]!.create).toMatchObject({ _id: '2', result: 'created', status: 201 });
    expect(reply.items[2]!.update).toMatchObject({ _id: '1', result: 'updated', status: 200, _version: 2 });
    expect(reply.items[3]!.delete).toMatchObject({ _id: 'gone', result: 'deleted', status: 200 });
    expect((await server.client.get({ index, id: '1' }))._source).toEqual({ name: 'one', colour: 'red' });
    expect((await server.client.count({ index })).count).toBe(2);
  });

  it('uses the index from the path for actions that name none', async () => {
    const index = uniqueIndexName('bulk-path');
    const reply = await server.client.bulk({ index, refresh: true, operations: [{ index: { _id: 'p' } }, { name: 'pathed' }] });
    expect(reply.items[0]!.index).toMatchObject({ _index: index, status: 201 });
  });

  it('reports failed items with their error and status, sets errors: true and still applies the other items', async () => {
    const index = uniqueIndexName('bulk-errors');
    await server.client.index({ index, id: 'taken', document: { name: 'exists' } });
    const reply = await server.client.bulk({
      refresh: true,
      operations: [
        { create: { _index: index, _id: 'taken' } },
        { name: 'duplicate' },
        { update: { _index: index, _id: 'absent' } },
        { doc: { name: 'nothing to update' } },
        { index: { _index: index, _id: 'fine' } },
        { name: 'fine' },
      ],
    });
    expect(reply.errors).toBe(true);
    expect(reply.items[0]!.create).toMatchObject({ status: 409, error: { type: 'version_conflict_engine_exception' } });
    expect(reply.items[1]!.update).toMatchObject({ status: 404, error: { type: 'document_missing_exception' } });
    expect(reply.items[2]!.index).toMatchObject({ status: 201, result: 'created' });
    expect((await server.client.get({ index, id: 'fine' })).found).toBe(true);
  });

  it('enforces external versions per item: stale items conflict, newer ones apply', async () => {
    const index = uniqueIndexName('bulk-versions');
    await server.client.bulk({
      refresh: true,
      operations: [{ index: { _index: index, _id: '1', version: 5, version_type: 'external' } }, { name: 'v5' }],
    });
    const reply = await server.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: index, _id: '1', version: 4, version_type: 'external' } },
        { name: 'stale v4' },
        { index: { _index: index, _id: '1', version: 5, version_type: 'external' } },
        { name: 'same v5' },
        { index: { _index: index, _id: '1', version: 6, version_type: 'external' } },
        { name: 'v6' },
      ],
    });
    expect(reply.errors).toBe(true);
    expect(reply.items.map((item) => item.index!.status)).toEqual([409, 409, 200]);
    expect(reply.items[0]!.index!.error).toMatchObject({ type: 'version_conflict_engine_exception' });
    expect(await server.client.get({ index, id: '1' })).toMatchObject({ _version: 6, _source: { name: 'v6' } });
  });

  it('applies external versions to deletes in bulk', async () => {
    const index = uniqueIndexName('bulk-delete-version');
    await server.client.index({ index, id: '1', document: { name: 'v3' }, version: 3, version_type: 'external', refresh: true });
    const reply = await server.client.bulk({
      refresh: true,
      operations: [
        { delete: { _index: index, _id: '1', version: 2, version_type: 'external' } },
        { delete: { _index: index, _id: '1', version: 4, version_type: 'external' } },
      ],
    });
    expect(reply.items.map((item) => item.delete!.status)).toEqual([409, 200]);
    expect(await server.client.exists({ index, id: '1' })).toBe(false);
  });
});
