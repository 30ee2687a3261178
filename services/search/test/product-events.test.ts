import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@shop/testkit';
import { idsOf, productAt, publishCreated, publishDeleted, publishStockChanged, publishUpdated, searchUntil, startSearchHarness, type SearchHarness } from './harness.js';

describe('the index fed by products events', () => {
  let harness: SearchHarness;

  beforeAll(async () => {
    harness = await startSearchHarness('search-events');
  });
  afterAll(() => harness.stop());

  const hitOf = async (productId: string, query: string, settled: (name: string | undefined) => boolean) => {
    const response = await searchUntil(harness.client, { query }, (r) => settled(r.hits.find((hit) => hit.productId === productId)?.name));
    return response.hits.find((hit) => hit.productId === productId);
  };

  it('makes a created product searchable with its version, price and stock', async () => {
    const id = uniqueName('p');
    await publishCreated(harness.bus, productAt(id, 1n, { name: 'Aurora lantern', categoryId: 'camping', priceMinor: 2999n, stock: 3 }));
    const hit = await hitOf(id, 'aurora lantern', (name) => name !== undefined);
    expect(hit).toMatchObject({ name: 'Aurora lantern', categoryId: 'camping', inStock: true, version: 1n, price: { amountMinor: 2999n, currencyCode: 'EUR' } });
  });

  it('keeps the newest version when events come duplicated and out of order', async () => {
    const id = uniqueName('p');
    const v2 = productAt(id, 2n, { name: 'Borealis kettle second' });
    await publishUpdated(harness.bus, v2, `${id}-v2`);
    await publishUpdated(harness.bus, productAt(id, 1n, { name: 'Borealis kettle first' }));
    await publishUpdated(harness.bus, v2, uniqueName('redelivered'));
    const marker = uniqueName('m');
    await publishCreated(harness.bus, productAt(marker, 1n, { name: 'Borealis marker' }));
    await hitOf(marker, 'borealis marker', (name) => name !== undefined);
    const response = await harness.client.searchProducts({ query: 'borealis kettle' });
    expect(response.hits.filter((hit) => hit.productId === id)).toEqual([expect.objectContaining({ name: 'Borealis kettle second', version: 2n })]);
  });

  it('follows stock changes into in_stock', async () => {
    const id = uniqueName('p');
    await publishCreated(harness.bus, productAt(id, 1n, { name: 'Cirrus tent', stock: 1 }));
    await publishStockChanged(harness.bus, productAt(id, 2n, { name: 'Cirrus tent', stock: 0 }));
    const response = await searchUntil(harness.client, { query: 'cirrus' }, (r) => r.hits.some((hit) => hit.productId === id && hit.version === 2n));
    expect(response.hits.find((hit) => hit.productId === id)).toMatchObject({ inStock: false, version: 2n });
    const inStockOnly = await harness.client.searchProducts({ query: 'cirrus', inStockOnly: true });
    expect(idsOf(inStockOnly)).not.toContain(id);
  });

  it('removes a deleted product and does not let a late older update bring it back', async () => {
    const id = uniqueName('p');
    await publishCreated(harness.bus, productAt(id, 1n, { name: 'Dune compass' }));
    await hitOf(id, 'dune compass', (name) => name !== undefined);
    await publishDeleted(harness.bus, id, 3n);
    await publishUpdated(harness.bus, productAt(id, 2n, { name: 'Dune compass late' }));
    const marker = uniqueName('m');
    await publishCreated(harness.bus, productAt(marker, 1n, { name: 'Dune marker' }));
    await hitOf(marker, 'dune marker', (name) => name !== undefined);
    const response = await harness.client.searchProducts({ query: 'dune compass' });
    expect(idsOf(response)).not.toContain(id);
    expect(response.facets?.categories.reduce((total, facet) => total + facet.count, 0n)).toBe(response.totalSize);
  });
});
