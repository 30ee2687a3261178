import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SearchService } from '@shop/gen/search/v1/search_service_pb';
import { claimPort, natsAdminUrl, startNats, type NatsStore } from '@shop/local-stack';
import { connectEventBus, createLogger, createServiceClient, ensureEventStream, type EventBus, type RunningServer } from '@shop/runtime';
import { testStores, uniqueName } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startSearch } from '../src/main.js';
import { idsOf, productAt, publishCreated, searchUntil } from './harness.js';

const namespace = uniqueName('search_outage').replace(/-/g, '_');
let dataDir: string;
let natsPort: number;
let server: RunningServer | undefined;
let nats: NatsStore | undefined;
let bus: EventBus | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'search-nats-outage-'));
  natsPort = await claimPort(0, 'nats');
});
afterAll(async () => {
  await bus?.close();
  await server?.shutdown();
  await nats?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the search service while NATS is down', () => {
  it('starts and serves, then indexes a product event once the bus is up', async () => {
    const config = loadConfig({
      SEARCH_PORT: '0',
      SEARCH_ELASTICSEARCH_URL: testStores().elasticsearchUrl,
      SEARCH_INDEX_ALIAS: uniqueName('search-outage'),
      NATS_URL: natsAdminUrl(dataDir, natsPort),
      EVENTS_NAMESPACE: namespace,
      LOG_LEVEL: 'silent',
    });
    server = await startSearch(config, { logger: createLogger('search-test', 'silent') });
    const client = createServiceClient(SearchService, { name: 'search', address: server.address, defaultTimeoutMs: 10_000 });
    const name = uniqueName('lantern');
    expect(idsOf(await client.searchProducts({ query: name }))).toEqual([]);

    nats = await startNats({ dataDir, port: natsPort });
    bus = await connectEventBus(nats.url, 'search-nats-outage-test', namespace);
    await ensureEventStream(bus, 'products');
    const product = productAt(uniqueName('product'), 1n, { name });
    await publishCreated(bus, product);
    const found = await searchUntil(client, { query: name }, (response) => response.hits.length === 1, 60_000);
    expect(idsOf(found)).toEqual([product.id]);
  });
});
