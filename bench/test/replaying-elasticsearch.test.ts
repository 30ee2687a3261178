import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPrintingPort, type EchoProcess } from '../load/echo-process.js';

/** An upstream that answers each request with its count so far, so a replayed answer shows an older count. */
describe('bench/load replaying Elasticsearch front', () => {
  let upstream: Server;
  let front: EchoProcess;
  const seen: string[] = [];

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`);
        const status = request.url?.includes('missing') ? 404 : 200;
        response.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }).end(JSON.stringify({ answer: seen.length }));
      });
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    front = await startPrintingPort('bench/load/replaying-elasticsearch.ts', ['--upstream', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`]);
  });

  afterAll(async () => {
    await front?.stop();
    upstream?.close();
  });

  const call = async (method: string, path: string, body?: string, authorization = 'Basic dXNlcjpwYXNz') => {
    const response = await fetch(`http://${front.address}${path}`, { method, body, headers: { authorization, 'content-type': 'application/json' } });
    return { status: response.status, product: response.headers.get('x-elastic-product'), body: (await response.json()) as { answer: number } };
  };

  it('answers a repeated search with its first answer, without asking the upstream again', async () => {
    const first = await call('POST', '/products/_search?filter_path=hits', '{"query":{"match_all":{}}}');
    const before = seen.length;
    const again = await call('POST', '/products/_search?filter_path=hits', '{"query":{"match_all":{}}}');
    expect(again).toEqual(first);
    expect(first.product).toBe('Elasticsearch');
    expect(seen.length).toBe(before);
  });

  it('passes on a search with another body, other credentials, or one the upstream refused', async () => {
    await call('POST', '/products/_search', '{"size":1}');
    const before = seen.length;
    await call('POST', '/products/_search', '{"size":2}');
    await call('POST', '/products/_search', '{"size":1}', 'Basic b3RoZXI6dXNlcg==');
    await call('POST', '/missing/_search', '{}');
    await call('POST', '/missing/_search', '{}');
    expect(seen.length).toBe(before + 4);
  });

  it('passes on every request that is not a search, each time', async () => {
    const before = seen.length;
    const first = await call('PUT', '/products/_doc/1', '{"name":"a"}');
    const second = await call('PUT', '/products/_doc/1', '{"name":"a"}');
    expect(second.body.answer).toBe(first.body.answer + 1);
    expect(seen.slice(before)).toEqual(['PUT /products/_doc/1 Basic dXNlcjpwYXNz', 'PUT /products/_doc/1 Basic dXNlcjpwYXNz']);
  });
});
