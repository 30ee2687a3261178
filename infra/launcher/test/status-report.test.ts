import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { storeReachable } from '../src/supervision/status-report.js';
import { sumOfSamples } from '../src/supervision/service-metrics.js';

describe('npm run status: store states and metric figures', () => {
  let folder = '';
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('calls a store reachable when something accepts connections at its URL, and an embedded store when its file is usable', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    expect(await storeReachable(`redis://cart_svc:x@127.0.0.1:${port}`)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await storeReachable(`redis://cart_svc:x@127.0.0.1:${port}`)).toBe(false);
    folder = await mkdtemp(join(tmpdir(), 'status-report-'));
    const file = join(folder, 'analytics.duckdb');
    expect(await storeReachable(file)).toBe(false);
    await writeFile(file, '');
    expect(await storeReachable(file)).toBe(true);
  });

  it('sums a metric over its labelled samples, and tells an absent metric apart from zero', () => {
    const text = [
      '# HELP messaging_consumer_lag Events of the stream the consumer has not acknowledged yet',
      'messaging_consumer_lag{messaging_consumer_group_name="search-indexer",state="pending"} 3',
      'messaging_consumer_lag{messaging_consumer_group_name="search-indexer",state="unacknowledged"} 2',
      'messaging_consumer_lag_of_other_kinds_total 99',
      'outbox_backlog 0',
    ].join('\n');
    expect(sumOfSamples(text, 'messaging_consumer_lag')).toBe(5);
    expect(sumOfSamples(text, 'outbox_backlog')).toBe(0);
    expect(sumOfSamples(text, 'rpc_server_call_duration')).toBeUndefined();
  });
});
