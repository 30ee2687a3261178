import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code } from '@connectrpc/connect';
import { startEsStandin, type EsStandin } from '@shop/es-standin';
import { plainHealthCheck } from '@shop/runtime/testing';
import { eventually, expectConnectError, uniqueName } from '@shop/testkit';
import { idsOf, productAt, publishCreated, searchUntil, startSearchHarness, type SearchHarness } from './harness.js';

describe('when its Elasticsearch stops', () => {
  let dataDir: string;
  let elasticsearch: EsStandin;
  let harness: SearchHarness;
  const startElasticsearch = (port: number) => startEsStandin({ port, dataDir, log: () => undefined });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'search-outage-'));
    elasticsearch = await startElasticsearch(0);
    harness = await startSearchHarness('search-outage', { SEARCH_ELASTICSEARCH_URL: elasticsearch.url });
  });
  afterAll(async () => {
    await harness?.stop();
    await elasticsearch?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports NOT_SERVING and answers UNAVAILABLE naming elasticsearch, then serves again once it is back', async () => {
    const id = uniqueName('p');
    await publishCreated(harness.bus, productAt(id, 1n, { name: 'Outage lantern' }));
    await searchUntil(harness.client, { query: 'outage lantern' }, (response) => idsOf(response).includes(id));
    expect(await plainHealthCheck(harness.server.address)).toBe('SERVING');

    const { port } = elasticsearch;
    await elasticsearch.close();
    await eventually(async () => (await plainHealthCheck(harness.server.address)) === 'NOT_SERVING', { description: 'health turns NOT_SERVING' });
    await expectConnectError(harness.client.searchProducts({ query: 'outage lantern' }), Code.Unavailable, 'elasticsearch unavailable');

    elasticsearch = await startElasticsearch(port);
    await eventually(async () => (await plainHealthCheck(harness.server.address)) === 'SERVING', { description: 'health turns SERVING again' });
    expect(idsOf(await harness.client.searchProducts({ query: 'outage lantern' }))).toEqual([id]);
  });
});
