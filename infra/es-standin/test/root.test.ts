import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openTestServer, type TestServer } from './harness.js';

describe('root endpoint and protocol', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('passes the official client product check and reports a 9.x version', async () => {
    const info = await server.client.info();
    expect(info.version.number).toMatch(/^9\./);
    expect(typeof info.tagline).toBe('string');
  });

  it('answers with the X-Elastic-Product header and a content type matching the compatibility Accept header', async () => {
    const response = await fetch(`${server.url}/`, {
      headers: { accept: 'application/vnd.elasticsearch+json; compatible-with=9' },
    });
    expect(response.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(response.headers.get('content-type')).toMatch(/^application\/vnd\.elasticsearch\+json; ?compatible-with=9/);
  });

  it('answers plain JSON requests with application/json', async () => {
    const response = await fetch(`${server.url}/`, { headers: { accept: 'application/json' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('reports the cluster as healthy', async () => {
    const health = await server.client.cluster.health();
    expect(['green', 'yellow']).toContain(health.status);
  });

  it('answers a ping', async () => {
    expect(await server.client.ping()).toBe(true);
  });
});
