import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, estypes } from '@elastic/elasticsearch';
import { startEsStandin, type EsStandin } from '@shop/es-standin';
import { createLogger } from '@shop/runtime';
import { indexMigrations } from '../migrations/index.js';
import type { IndexedProduct } from '../src/domain/indexed-product.js';
import type { SearchCriteria, SearchResult } from '../src/domain/search.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { applyIndexMigrations } from '../src/storage/index-migration.js';
import { EsProductSearch } from '../src/storage/product-search.js';
import { EsProductWriter } from '../src/storage/product-writer.js';
import { toSource, type ProductSource } from '../src/storage/product-source.js';
import { hitSourceFields, searchBody } from '../src/storage/search-query.js';
import { searchResult } from '../src/storage/search-results.js';
import { demoCatalogue, laterSnapshots, loadCatalogue, shopperSearches } from './shop-catalogue.js';

/**
 * The searches a shopper makes over a catalogue like the system's, at 200 and at 2,000 products, answer exactly what
 * they answered when the fixture was recorded: the same hits in the same order with the same scores, sort values,
 * highlights, totals and facets, and the second page after the first; the service's own search, asking for a filtered
 * reply, finds the same. Record again (only after a deliberate change of
 * results) with RECORD_SEARCH_FIXTURE=1.
 */

const fixtureFile = new URL('./fixtures/shop-catalogue-searches.json', import.meta.url);
const recording = process.env['RECORD_SEARCH_FIXTURE'] === '1';
const alias = 'products';

type Digest = Record<string, unknown>;

const pick = (source: ProductSource, fields: readonly (keyof ProductSource)[]) => Object.fromEntries(fields.map((field) => [field, source[field]]));

function digestOf(response: estypes.SearchResponse<ProductSource>): Digest {
  return {
    total: response.hits.total,
    max_score: response.hits.max_score,
    hits: response.hits.hits.map((hit) => [hit._id, hit._score, hit.sort, hit.highlight ?? null]),
    aggregations: response.aggregations,
  };
}

async function bulkWrite(es: Client, products: readonly IndexedProduct[]): Promise<void> {
  const operations = products.flatMap((product) => [{ index: { _index: alias, _id: product.productId, version: Number(product.version), version_type: 'external' as const } }, toSource(product)]);
  const reply = await es.bulk({ operations, refresh: true });
  if (reply.errors) throw new Error(`bulk write failed: ${JSON.stringify(reply.items.find((item) => item.index?.error))}`);
}

describe('product searches over a realistic catalogue', () => {
  let dataDir: string;
  let standin: EsStandin;
  let es: Client;
  const latest = new Map<string, IndexedProduct>();
  const recorded: Record<string, Digest> = recording ? {} : (JSON.parse(readFileSync(fixtureFile, 'utf8')) as Record<string, Digest>);
  const observed: Record<string, Digest> = {};

  async function addProducts(products: readonly IndexedProduct[]): Promise<void> {
    await bulkWrite(es, products);
    const writer = new EsProductWriter(es, alias);
    await writer.writeAll(laterSnapshots(products));
    await es.indices.refresh({ index: alias });
    for (const product of [...products, ...laterSnapshots(products)]) latest.set(product.productId, product);
  }

  async function search(criteria: SearchCriteria): Promise<estypes.SearchResponse<ProductSource>> {
    const response = await es.search<ProductSource>({ index: alias, ...searchBody(criteria, 'products') });
    for (const hit of response.hits.hits) expect(hit._source).toEqual(pick(toSource(latest.get(hit._id!)!), hitSourceFields));
    return response;
  }

  /** The service's search, whose reply is filtered (filter_path), finds what the full reply holds. */
  async function expectFilteredAlike(criteria: SearchCriteria, full: estypes.SearchResponse<ProductSource>): Promise<void> {
    expect(await new EsProductSearch(es, alias).search(criteria)).toEqual(searchResult(full, criteria));
  }

  async function checkSearches(size: number): Promise<void> {
    for (const { name, criteria } of shopperSearches) {
      const first = await search(criteria);
      await expectFilteredAlike(criteria, first);
      const next = searchResult(first, criteria).next;
      const second = next ? await search({ ...criteria, after: next }) : undefined;
      if (next && second) await expectFilteredAlike({ ...criteria, after: next }, second);
      const pages = [digestOf(first), ...(second ? [digestOf(second)] : [])];
      for (const [page, digest] of pages.entries()) {
        const key = `${size} products: ${name}, page ${page + 1}`;
        observed[key] = digest;
        if (!recording) expect({ [key]: digest }).toEqual({ [key]: recorded[key] });
      }
    }
  }

  /** The related search as two requests, as it was before terms lookups: the product's category by a get, then the search. */
  async function relatedInTwoRequests(criteria: SearchCriteria & { relatedToProductId: string }): Promise<SearchResult> {
    const found = await es.get<ProductSource>({ index: alias, id: criteria.relatedToProductId }, { ignore: [404] });
    if (!found.found || found._source!.deleted) return searchResult({ hits: { hits: [], total: { value: 0, relation: 'eq' } } } as unknown as estypes.SearchResponse<ProductSource>, criteria);
    const { relatedToProductId: _related, ...unrelated } = criteria;
    const body = searchBody(unrelated, alias);
    const bool = body.query!.bool!;
    bool.filter = [...[bool.filter ?? []].flat(), { term: { category_id: found._source!.category_id } }];
    bool.must_not = [...[bool.must_not ?? []].flat(), { term: { product_id: criteria.relatedToProductId } }];
    return searchResult(await es.search<ProductSource>({ index: alias, ...body }), criteria);
  }

  async function checkRelatedSearches(products: readonly IndexedProduct[]): Promise<number> {
    const search = new EsProductSearch(es, alias);
    const related = [...products.filter((_, n) => n % 97 === 3).map((product) => product.productId), ...laterSnapshots(products).filter((product) => product.deleted).slice(0, 3).map((product) => product.productId), 'no-such-product'];
    let compared = 0;
    for (const productId of related) {
      for (const text of ['', 'classic shoe', 'clasic']) {
        const criteria = { query: text, categoryIds: [], inStockOnly: false, pageSize: 5, relatedToProductId: productId };
        const first = await search.search(criteria);
        expect({ productId, text, result: first }).toEqual({ productId, text, result: await relatedInTwoRequests(criteria) });
        if (first.next) expect(await search.search({ ...criteria, after: first.next })).toEqual(await relatedInTwoRequests({ ...criteria, after: first.next }));
        compared += first.hits.length;
      }
    }
    return compared;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'search-equality-'));
    standin = await startEsStandin({ port: 0, dataDir, log: () => undefined });
    es = createElasticsearchClient(standin.url);
    await applyIndexMigrations(es, alias, indexMigrations, createLogger('search-equality', 'silent'));
  });
  afterAll(async () => {
    if (recording) writeFileSync(fixtureFile, `{\n${Object.entries(observed).map(([key, digest]) => `${JSON.stringify(key)}: ${JSON.stringify(digest)}`).join(',\n')}\n}\n`);
    await es.close();
    await standin.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers as recorded at 200 products (the demo catalogue)', async () => {
    await addProducts(demoCatalogue());
    await checkSearches(200);
  });

  it('answers related-products searches in one request exactly as the get-then-search did, at 200 products', async () => {
    expect(await checkRelatedSearches(demoCatalogue())).toBeGreaterThan(0);
  });

  it('answers as recorded at 2,000 products (the demo catalogue and the load bench products)', async () => {
    await addProducts(loadCatalogue(1800));
    await checkSearches(2000);
  });

  it('answers related-products searches in one request exactly as the get-then-search did, at 2,000 products', async () => {
    expect(await checkRelatedSearches([...demoCatalogue(), ...loadCatalogue(1800)])).toBeGreaterThan(0);
  });

  it('checked every recorded search', () => {
    if (!recording) expect(Object.keys(observed).sort()).toEqual(Object.keys(recorded).sort());
  });
});
