import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@elastic/elasticsearch';
import { startEsStandin, type EsStandin } from '@shop/es-standin';
import { createLogger } from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import { tombstone, type IndexedProduct } from '../src/domain/indexed-product.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { applyIndexMigrations, rebuildMarker } from '../src/storage/index-migration.js';
import { EsProductWriter } from '../src/storage/product-writer.js';

const snapshot = (productId: string, version: bigint, stock: number): IndexedProduct => ({
  productId,
  version,
  deleted: false,
  name: `Lantern ${productId} v${version}`,
  description: 'A lantern',
  categoryId: 'camping',
  currency: 'EUR',
  priceMinor: 1000n + version,
  stock,
});

/** Versions of four products, repeated and out of order, with a deletion and a late older update after it. */
const events: IndexedProduct[] = [
  snapshot('p1', 1n, 3),
  snapshot('p2', 2n, 1),
  snapshot('p1', 3n, 0),
  snapshot('p2', 1n, 5),
  snapshot('p1', 2n, 9),
  tombstone('p3', 4n),
  snapshot('p3', 3n, 2),
  snapshot('p4', 1n, 1),
  snapshot('p2', 2n, 1),
  snapshot('p4', 5n, 6),
  snapshot('p4', 4n, 7),
];

describe('writing product snapshots in batches', () => {
  let dataDir: string;
  let standin: EsStandin;
  let es: Client;
  const logger = createLogger('product-writer-test', 'silent');

  async function documentsOf(alias: string, ids: readonly string[]) {
    await es.indices.refresh({ index: alias });
    const found = await es.mget({ index: alias, ids: [...ids] });
    return found.docs.map((doc) => ('_source' in doc ? { id: doc._id, version: doc._version, source: doc._source } : { id: doc._id, missing: true }));
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'product-writer-'));
    standin = await startEsStandin({ port: 0, dataDir, log: () => undefined });
    es = createElasticsearchClient(standin.url);
  });
  afterAll(async () => {
    await es.close();
    await standin.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves what writing the events one by one leaves, holding older versions back', async () => {
    for (const alias of ['one_by_one', 'batched']) await applyIndexMigrations(es, alias, indexMigrations, logger);
    await new EsProductWriter(es, 'batched').writeAll([snapshot('p4', 4n, 8)]);
    await new EsProductWriter(es, 'one_by_one').writeAll([snapshot('p4', 4n, 8)]);
    const single = new EsProductWriter(es, 'one_by_one');
    for (const event of events) await single.writeAll([event]);
    const batched = new EsProductWriter(es, 'batched');
    const applied = [await batched.writeAll(events.slice(0, 4)), await batched.writeAll(events.slice(4))];
    const ids = ['p1', 'p2', 'p3', 'p4'];
    expect(await documentsOf('batched', ids)).toEqual(await documentsOf('one_by_one', ids));
    expect((await documentsOf('batched', ids)).map((doc) => doc.version)).toEqual([3, 2, 4, 5]);
    expect(applied).toEqual([2, 2]);
    expect(await batched.writeAll(events)).toBe(0);
    expect(await batched.writeAll([])).toBe(0);
  });

  it('writes a batch into the index being rebuilt as well', async () => {
    const alias = 'rebuilding';
    await applyIndexMigrations(es, alias, indexMigrations, logger);
    const migration = indexMigrations.at(-1)!;
    await es.indices.create({ index: `${alias}_next`, settings: migration.settings, mappings: migration.mappings, aliases: { [rebuildMarker(alias)]: {} } });
    await new EsProductWriter(es, alias).writeAll(events);
    const ids = ['p1', 'p2', 'p3', 'p4'];
    expect(await documentsOf(`${alias}_next`, ids)).toEqual(await documentsOf(alias, ids));
  });

  it('fails the batch when an item fails with anything but a version conflict or a missing rebuild marker', async () => {
    const alias = 'refusing';
    await applyIndexMigrations(es, alias, indexMigrations, logger);
    await es.indices.create({ index: `${alias}_next`, mappings: { dynamic: 'strict', properties: {} }, aliases: { [rebuildMarker(alias)]: {} } });
    await expect(new EsProductWriter(es, alias).writeAll([snapshot('p1', 1n, 1)])).rejects.toThrow(`indexing p1 into ${rebuildMarker(alias)} failed`);
  });
});
