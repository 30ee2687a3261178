import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client as Elasticsearch } from '@elastic/elasticsearch';
import { Code, type Client } from '@connectrpc/connect';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { createServiceClient } from '@shop/runtime';
import { expectConnectError, startServiceProcess, testStores, uniqueName, type ServiceProcess } from '@shop/testkit';
import { latestIndexMigration } from '../migrations/index.js';
import { EsIndexBuilder } from '../src/storage/index-builder.js';
import { idsOf, searchUntil, startSearchHarness, type SearchHarness } from './harness.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const productCount = 30;

describe('rebuilding the index from the products API', () => {
  let products: ServiceProcess;
  let harness: SearchHarness;
  let es: Elasticsearch;
  let catalog: Client<typeof ProductService>;
  const liveIndices = async () => Object.keys(await es.indices.getAlias({ name: harness.alias }));

  beforeAll(async () => {
    const stores = testStores();
    const namespace = uniqueName('search-rebuild').replace(/-/g, '_');
    products = await startServiceProcess('products', {
      PRODUCTS_PORT: '0',
      PRODUCTS_MONGO_URL: `${stores.mongoUrl.replace(/\/$/, '')}/${uniqueName('search_rebuild').replace(/-/g, '_')}`,
      NATS_URL: stores.natsUrl,
      EVENTS_NAMESPACE: namespace,
    });
    harness = await startSearchHarness('search-rebuild', { EVENTS_NAMESPACE: namespace, PRODUCTS_ADDR: products.address });
    es = new Elasticsearch({ node: stores.elasticsearchUrl });
    catalog = createServiceClient(ProductService, { name: 'products', address: products.address });
    for (let n = 0; n < productCount; n += 1) {
      const category = ['lamps', 'chairs', 'tables'][n % 3]!;
      await catalog.createProduct({ sku: uniqueName('sku'), name: `Oak item ${n}`, description: 'Solid oak', categoryId: category, price: { amountMinor: BigInt(500 + n * 400), currencyCode: 'EUR' }, stock: n % 4 });
    }
  });
  afterAll(async () => {
    await harness?.stop();
    await es?.close();
    await products?.stop();
  });

  it('indexes products created through the products API from their events', async () => {
    const response = await searchUntil(harness.client, { query: 'oak' }, (r) => r.totalSize === BigInt(productCount));
    expect(response.totalSize).toBe(BigInt(productCount));
  });

  it('keeps answering searches during a rebuild and ends with the alias on a new index holding every product', async () => {
    const [before] = await liveIndices();
    await es.delete({ index: harness.alias, id: (await harness.client.searchProducts({ pageSize: 1 })).hits[0]!.productId, refresh: true });
    let rebuilding = true;
    const searches = (async () => {
      const totals: bigint[] = [];
      while (rebuilding) totals.push((await harness.client.searchProducts({ query: 'oak item', pageSize: 5 })).totalSize);
      return totals;
    })();
    const outcome = await harness.client.rebuildIndex({ pageSize: 7 }).finally(() => {
      rebuilding = false;
    });
    const totals = await searches;
    expect(totals.length).toBeGreaterThan(0);
    expect(totals.every((total) => total >= BigInt(productCount - 1))).toBe(true);
    expect(outcome).toMatchObject({ documentCount: BigInt(productCount), previousIndexName: before });
    expect(outcome.indexName).toMatch(new RegExp(`^${harness.alias}_v1_\\d+$`));
    expect(await liveIndices()).toEqual([outcome.indexName]);
    expect(await es.indices.exists({ index: before! })).toBe(false);
    expect((await harness.client.searchProducts({})).totalSize).toBe(BigInt(productCount));
  });

  it('rebuilds from the command line with a progress bar', async () => {
    const [before] = await liveIndices();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'services/search/src/cli/rebuild.ts', '--products-addr', products.address, '--alias', harness.alias, '--page-size', '10'], {
      cwd: repoRoot,
      env: { ...process.env, SEARCH_ELASTICSEARCH_URL: testStores().elasticsearchUrl },
    });
    const [after] = await liveIndices();
    expect(after).not.toBe(before);
    expect(stdout).toContain(`${harness.alias} -> ${after}: ${productCount} products, deleted ${before}`);
    expect((await harness.client.searchProducts({})).totalSize).toBe(BigInt(productCount));
  });

  it('rejects a rebuild page size out of range naming page_size', async () => {
    await expectConnectError(harness.client.rebuildIndex({ pageSize: 1001 }), Code.InvalidArgument, 'page_size');
  });

  it('writes events that arrive during a rebuild into the index being built as well', async () => {
    const build = await new EsIndexBuilder(es, harness.alias, latestIndexMigration).begin();
    const [product] = (await catalog.listProducts({ pageSize: 1 })).products;
    await catalog.updateProduct({ product: { id: product!.id, name: 'Walnut renamed' }, updateMask: { paths: ['name'] } });
    await searchUntil(harness.client, { query: 'walnut' }, (r) => idsOf(r).includes(product!.id));
    await build.retire((await build.swap())!);
    const response = await harness.client.searchProducts({});
    expect(await liveIndices()).toEqual([build.indexName]);
    expect(response.hits.map((hit) => [hit.productId, hit.name])).toEqual([[product!.id, 'Walnut renamed']]);
  });
});
