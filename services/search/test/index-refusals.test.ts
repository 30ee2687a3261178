import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code } from '@connectrpc/connect';
import { testStores, expectConnectError, uniqueName } from '@shop/testkit';
import { createElasticsearchClient } from '../src/storage/elasticsearch.js';
import { idsOf, productAt, publishCreated, searchUntil, startSearchHarness, type SearchHarness } from './harness.js';

describe('when Elasticsearch refuses a search because its index is not what the service built', () => {
  let harness: SearchHarness;
  const es = createElasticsearchClient(testStores().elasticsearchUrl);

  beforeAll(async () => {
    harness = await startSearchHarness('search-refusals');
  });
  afterAll(async () => {
    await harness?.stop();
    await es.close();
  });

  const indexBehindAlias = async () => Object.keys(await es.indices.getAlias({ name: harness.alias }))[0]!;

  it('answers FAILED_PRECONDITION naming elasticsearch and its reason, not INTERNAL, and serves again once the alias points at its index again', async () => {
    const id = uniqueName('p');
    await publishCreated(harness.bus, productAt(id, 1n, { name: 'Refused lantern' }));
    await searchUntil(harness.client, { query: 'refused lantern' }, (response) => idsOf(response).includes(id));

    const original = await indexBehindAlias();
    const bare = `${harness.alias}-bare`;
    await es.indices.create({ index: bare });
    await es.indices.updateAliases({ actions: [{ remove: { index: original, alias: harness.alias } }, { add: { index: bare, alias: harness.alias } }] });
    await expectConnectError(harness.client.searchProducts({ query: 'refused lantern' }), Code.FailedPrecondition, /elasticsearch refused the search: .*No mapping found for \[product_id\]/);

    await es.indices.delete({ index: bare });
    await expectConnectError(harness.client.searchProducts({ query: 'refused lantern' }), Code.FailedPrecondition, /elasticsearch refused the search: index_not_found_exception/);

    await es.indices.updateAliases({ actions: [{ add: { index: original, alias: harness.alias } }] });
    expect(idsOf(await harness.client.searchProducts({ query: 'refused lantern' }))).toEqual([id]);
  });
});
